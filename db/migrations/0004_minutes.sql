CREATE TABLE `decisions` (
	`id` text PRIMARY KEY NOT NULL,
	`body_id` text NOT NULL,
	`meeting_id` text NOT NULL,
	`number` integer NOT NULL,
	`text` text NOT NULL,
	`agenda_item_id` text,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`body_id`) REFERENCES `bodies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `decisions_body_number_unique` ON `decisions` (`body_id`,`number`);--> statement-breakpoint
CREATE INDEX `decisions_meeting_idx` ON `decisions` (`meeting_id`);--> statement-breakpoint
CREATE TABLE `minutes` (
	`meeting_id` text PRIMARY KEY NOT NULL,
	`body_id` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`amending` integer,
	`circulated_at` integer,
	`circulated_by` text,
	`adopted_at` integer,
	`adopted_by` text,
	`text` text DEFAULT '' NOT NULL,
	`content_hash` text,
	`last_version_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`body_id`) REFERENCES `bodies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`circulated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`adopted_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `minutes_approvals` (
	`id` text PRIMARY KEY NOT NULL,
	`meeting_id` text NOT NULL,
	`delegation_id` text NOT NULL,
	`user_id` text,
	`content_hash` text NOT NULL,
	`amendment` integer DEFAULT 0 NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`delegation_id`) REFERENCES `delegations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `minutes_approvals_meeting_idx` ON `minutes_approvals` (`meeting_id`,`delegation_id`,`at`);--> statement-breakpoint
CREATE TABLE `minutes_comments` (
	`id` text PRIMARY KEY NOT NULL,
	`meeting_id` text NOT NULL,
	`user_id` text,
	`text` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `minutes_comments_meeting_idx` ON `minutes_comments` (`meeting_id`,`at`);--> statement-breakpoint
CREATE TABLE `minutes_records` (
	`id` text PRIMARY KEY NOT NULL,
	`meeting_id` text NOT NULL,
	`amendment` integer DEFAULT 0 NOT NULL,
	`json` text NOT NULL,
	`html` text NOT NULL,
	`text` text NOT NULL,
	`sha256` text NOT NULL,
	`reason` text,
	`adopted_by` text,
	`adopted_at` integer NOT NULL,
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`adopted_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `minutes_records_meeting_amendment_unique` ON `minutes_records` (`meeting_id`,`amendment`);--> statement-breakpoint
CREATE TABLE `minutes_snapshots` (
	`meeting_id` text PRIMARY KEY NOT NULL,
	`state` blob NOT NULL,
	`through_update_id` integer NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `minutes_updates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`meeting_id` text NOT NULL,
	`update` blob NOT NULL,
	`user_id` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `minutes_updates_meeting_idx` ON `minutes_updates` (`meeting_id`,`id`);--> statement-breakpoint
CREATE TABLE `minutes_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`meeting_id` text NOT NULL,
	`kind` text NOT NULL,
	`label` text,
	`state` blob NOT NULL,
	`content_hash` text NOT NULL,
	`contributors` text DEFAULT '[]' NOT NULL,
	`created_by` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `minutes_versions_meeting_idx` ON `minutes_versions` (`meeting_id`,`at`);