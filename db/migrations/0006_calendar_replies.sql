CREATE TABLE `inbound_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`body_id` text,
	`meeting_id` text,
	`user_id` text,
	`message_id` text,
	`from_email` text,
	`method` text,
	`partstat` text,
	`sequence` integer,
	`outcome` text NOT NULL,
	`received_at` integer NOT NULL,
	FOREIGN KEY (`body_id`) REFERENCES `bodies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `inbound_body_received_idx` ON `inbound_messages` (`body_id`,`received_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `inbound_message_id_unique` ON `inbound_messages` (`message_id`);--> statement-breakpoint
CREATE TABLE `meeting_counters` (
	`id` text PRIMARY KEY NOT NULL,
	`meeting_id` text NOT NULL,
	`user_id` text NOT NULL,
	`sequence` integer NOT NULL,
	`proposed_start` integer NOT NULL,
	`proposed_duration_minutes` integer NOT NULL,
	`comment` text,
	`state` text DEFAULT 'pending' NOT NULL,
	`decided_by` text,
	`decided_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `meeting_counters_meeting_idx` ON `meeting_counters` (`meeting_id`,`state`);--> statement-breakpoint
ALTER TABLE `users` ADD `reminder_minutes` integer;--> statement-breakpoint
ALTER TABLE `invitations` ADD `responded_sequence` integer;--> statement-breakpoint
ALTER TABLE `invitations` ADD `responded_via` text;--> statement-breakpoint
ALTER TABLE `meetings` ADD `calendar_digest` text;