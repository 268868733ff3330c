CREATE TABLE `paper_chunks` (
	`file_id` text NOT NULL,
	`seq` integer NOT NULL,
	`data` blob NOT NULL,
	PRIMARY KEY(`file_id`, `seq`),
	FOREIGN KEY (`file_id`) REFERENCES `paper_files`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `paper_files` (
	`id` text PRIMARY KEY NOT NULL,
	`body_id` text NOT NULL,
	`paper_id` text,
	`revision` integer DEFAULT 0 NOT NULL,
	`filename` text NOT NULL,
	`media_type` text NOT NULL,
	`size` integer DEFAULT 0 NOT NULL,
	`sha256` text,
	`storage` text DEFAULT 'database' NOT NULL,
	`text` text DEFAULT '' NOT NULL,
	`uploaded_by` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`body_id`) REFERENCES `bodies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`paper_id`) REFERENCES `papers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`uploaded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `paper_files_paper_idx` ON `paper_files` (`paper_id`,`revision`);--> statement-breakpoint
CREATE INDEX `paper_files_body_idx` ON `paper_files` (`body_id`);--> statement-breakpoint
CREATE TABLE `paper_reads` (
	`id` text PRIMARY KEY NOT NULL,
	`paper_id` text NOT NULL,
	`file_id` text,
	`user_id` text NOT NULL,
	`via` text DEFAULT 'download' NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`paper_id`) REFERENCES `papers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`file_id`) REFERENCES `paper_files`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `paper_reads_paper_idx` ON `paper_reads` (`paper_id`,`at`);--> statement-breakpoint
CREATE TABLE `papers` (
	`id` text PRIMARY KEY NOT NULL,
	`body_id` text NOT NULL,
	`meeting_id` text NOT NULL,
	`agenda_item_id` text NOT NULL,
	`number` integer NOT NULL,
	`title` text NOT NULL,
	`marking` text NOT NULL,
	`delegation_ids` text DEFAULT '[]' NOT NULL,
	`delegation_id` text,
	`uploaded_by` text,
	`revision` integer DEFAULT 0 NOT NULL,
	`withdrawn_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`body_id`) REFERENCES `bodies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`agenda_item_id`) REFERENCES `agenda_items`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`delegation_id`) REFERENCES `delegations`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`uploaded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `papers_meeting_number_unique` ON `papers` (`meeting_id`,`number`);--> statement-breakpoint
CREATE INDEX `papers_item_idx` ON `papers` (`agenda_item_id`);--> statement-breakpoint
CREATE INDEX `papers_body_idx` ON `papers` (`body_id`);--> statement-breakpoint
CREATE TABLE `symbol_counters` (
	`meeting_id` text NOT NULL,
	`series` text NOT NULL,
	`last` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`meeting_id`, `series`),
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `participant_lists` (
	`meeting_id` text PRIMARY KEY NOT NULL,
	`body_id` text NOT NULL,
	`number` integer NOT NULL,
	`revision` integer DEFAULT 0 NOT NULL,
	`entries` text NOT NULL,
	`user_ids` text NOT NULL,
	`published_by` text,
	`published_at` integer NOT NULL,
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`body_id`) REFERENCES `bodies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`published_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `participant_submissions` (
	`meeting_id` text NOT NULL,
	`delegation_id` text NOT NULL,
	`submitted_by` text,
	`submitted_at` integer NOT NULL,
	PRIMARY KEY(`meeting_id`, `delegation_id`),
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`delegation_id`) REFERENCES `delegations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`submitted_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `participants` (
	`id` text PRIMARY KEY NOT NULL,
	`meeting_id` text NOT NULL,
	`body_id` text NOT NULL,
	`delegation_id` text,
	`user_id` text,
	`name` text NOT NULL,
	`title` text DEFAULT '' NOT NULL,
	`agency` text DEFAULT '' NOT NULL,
	`role` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`attendance` text,
	`attendance_by` text,
	`attendance_at` integer,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`body_id`) REFERENCES `bodies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`delegation_id`) REFERENCES `delegations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`attendance_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `participants_meeting_idx` ON `participants` (`meeting_id`,`delegation_id`,`position`);--> statement-breakpoint
CREATE INDEX `participants_user_idx` ON `participants` (`user_id`);