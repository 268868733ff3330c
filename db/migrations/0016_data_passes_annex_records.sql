CREATE TABLE `annex_records` (
	`id` text PRIMARY KEY NOT NULL,
	`meeting_id` text NOT NULL,
	`amendment` integer DEFAULT 0 NOT NULL,
	`json` text NOT NULL,
	`html` text NOT NULL,
	`sha256` text NOT NULL,
	`adopted_by` text,
	`adopted_at` integer NOT NULL,
	FOREIGN KEY (`meeting_id`) REFERENCES `minutes_annexes`(`meeting_id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`adopted_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `annex_records_meeting_amendment_unique` ON `annex_records` (`meeting_id`,`amendment`);--> statement-breakpoint
CREATE TABLE `annex_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`meeting_id` text NOT NULL,
	`kind` text NOT NULL,
	`amendment` integer DEFAULT 0 NOT NULL,
	`state` blob NOT NULL,
	`content_hash` text NOT NULL,
	`created_by` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`meeting_id`) REFERENCES `minutes_annexes`(`meeting_id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `annex_versions_meeting_idx` ON `annex_versions` (`meeting_id`,`at`);--> statement-breakpoint
CREATE TABLE `data_passes` (
	`name` text PRIMARY KEY NOT NULL,
	`done_at` integer NOT NULL
);
