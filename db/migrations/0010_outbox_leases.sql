ALTER TABLE `outbox_messages` ADD `lease_owner` text;--> statement-breakpoint
ALTER TABLE `outbox_messages` ADD `lease_expires_at` integer;