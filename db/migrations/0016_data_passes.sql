CREATE TABLE `data_passes` (
	`name` text PRIMARY KEY NOT NULL,
	`done_at` integer NOT NULL
);
