CREATE TABLE `annex_snapshots` (
	`meeting_id` text PRIMARY KEY NOT NULL,
	`state` blob NOT NULL,
	`through_update_id` integer NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`meeting_id`) REFERENCES `minutes_annexes`(`meeting_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `annex_updates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`meeting_id` text NOT NULL,
	`update` blob NOT NULL,
	`user_id` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`meeting_id`) REFERENCES `minutes_annexes`(`meeting_id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `annex_updates_meeting_idx` ON `annex_updates` (`meeting_id`,`id`);--> statement-breakpoint
CREATE TABLE `minutes_annexes` (
	`meeting_id` text PRIMARY KEY NOT NULL,
	`body_id` text NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`body_id`) REFERENCES `bodies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
