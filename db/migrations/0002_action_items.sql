CREATE TABLE `action_item_assignees` (
	`item_id` text NOT NULL,
	`user_id` text NOT NULL,
	PRIMARY KEY(`item_id`, `user_id`),
	FOREIGN KEY (`item_id`) REFERENCES `action_items`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `action_item_assignees_user_idx` ON `action_item_assignees` (`user_id`);--> statement-breakpoint
CREATE TABLE `action_item_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`item_id` text NOT NULL,
	`actor_id` text,
	`kind` text NOT NULL,
	`meeting_id` text,
	`changes` text,
	`note` text,
	`status_after` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`item_id`) REFERENCES `action_items`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `action_item_events_item_idx` ON `action_item_events` (`item_id`,`at`);--> statement-breakpoint
CREATE INDEX `action_item_events_meeting_idx` ON `action_item_events` (`meeting_id`);--> statement-breakpoint
CREATE TABLE `action_items` (
	`id` text PRIMARY KEY NOT NULL,
	`body_id` text NOT NULL,
	`ref` integer NOT NULL,
	`title` text NOT NULL,
	`detail` text DEFAULT '' NOT NULL,
	`owner_delegation_id` text NOT NULL,
	`due_kind` text NOT NULL,
	`due_date` text,
	`due_on` text,
	`due_meeting_id` text,
	`priority` text DEFAULT 'normal' NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`marking` text DEFAULT 'TLP:AMBER' NOT NULL,
	`origin_meeting_id` text,
	`origin_agenda_item_id` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_by` text,
	`updated_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`closed_at` integer,
	FOREIGN KEY (`body_id`) REFERENCES `bodies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`owner_delegation_id`) REFERENCES `delegations`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`due_meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`origin_meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `action_items_body_ref_unique` ON `action_items` (`body_id`,`ref`);--> statement-breakpoint
CREATE INDEX `action_items_body_status_idx` ON `action_items` (`body_id`,`status`);--> statement-breakpoint
CREATE INDEX `action_items_body_due_idx` ON `action_items` (`body_id`,`due_on`);--> statement-breakpoint
CREATE INDEX `action_items_origin_idx` ON `action_items` (`origin_meeting_id`);--> statement-breakpoint
CREATE INDEX `action_items_owner_idx` ON `action_items` (`owner_delegation_id`);