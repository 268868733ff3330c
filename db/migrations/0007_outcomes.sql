CREATE TABLE `outcome_bracket_acceptances` (
	`id` text PRIMARY KEY NOT NULL,
	`bracket_id` text NOT NULL,
	`delegation_id` text NOT NULL,
	`option` integer NOT NULL,
	`user_id` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`bracket_id`) REFERENCES `outcome_brackets`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`delegation_id`) REFERENCES `delegations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outcome_bracket_acceptances_unique` ON `outcome_bracket_acceptances` (`bracket_id`,`delegation_id`);--> statement-breakpoint
CREATE TABLE `outcome_brackets` (
	`id` text PRIMARY KEY NOT NULL,
	`document_id` text NOT NULL,
	`delegation_id` text NOT NULL,
	`text` text NOT NULL,
	`alternatives` text DEFAULT '[]' NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`outcome` text,
	`created_by` text,
	`created_at` integer NOT NULL,
	`closed_at` integer,
	FOREIGN KEY (`document_id`) REFERENCES `outcome_documents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`delegation_id`) REFERENCES `delegations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `outcome_brackets_document_idx` ON `outcome_brackets` (`document_id`,`status`);--> statement-breakpoint
CREATE TABLE `outcome_clearances` (
	`id` text PRIMARY KEY NOT NULL,
	`document_id` text NOT NULL,
	`delegation_id` text NOT NULL,
	`user_id` text,
	`kind` text NOT NULL,
	`content_hash` text NOT NULL,
	`revision` integer DEFAULT 0 NOT NULL,
	`silence_id` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`document_id`) REFERENCES `outcome_documents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`delegation_id`) REFERENCES `delegations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `outcome_clearances_document_idx` ON `outcome_clearances` (`document_id`,`delegation_id`,`at`);--> statement-breakpoint
CREATE TABLE `outcome_documents` (
	`id` text PRIMARY KEY NOT NULL,
	`body_id` text NOT NULL,
	`meeting_id` text NOT NULL,
	`number` integer NOT NULL,
	`revision` integer DEFAULT 0 NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`marking` text DEFAULT 'TLP:AMBER' NOT NULL,
	`language` text DEFAULT 'en' NOT NULL,
	`authenticity` text DEFAULT 'source' NOT NULL,
	`status` text DEFAULT 'negotiating' NOT NULL,
	`content_hash` text,
	`text` text DEFAULT '' NOT NULL,
	`adopted_at` integer,
	`adopted_how` text,
	`adopted_hash` text,
	`issued_at` integer,
	`public_token` text,
	`created_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`body_id`) REFERENCES `bodies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outcome_documents_meeting_number_unique` ON `outcome_documents` (`meeting_id`,`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `outcome_documents_public_token_unique` ON `outcome_documents` (`public_token`);--> statement-breakpoint
CREATE INDEX `outcome_documents_body_idx` ON `outcome_documents` (`body_id`);--> statement-breakpoint
CREATE TABLE `outcome_issues` (
	`id` text PRIMARY KEY NOT NULL,
	`document_id` text NOT NULL,
	`revision` integer NOT NULL,
	`symbol` text NOT NULL,
	`versions` text NOT NULL,
	`sha256` text NOT NULL,
	`issued_by` text,
	`issued_at` integer NOT NULL,
	FOREIGN KEY (`document_id`) REFERENCES `outcome_documents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`issued_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outcome_issues_document_revision_unique` ON `outcome_issues` (`document_id`,`revision`);--> statement-breakpoint
CREATE TABLE `outcome_language_versions` (
	`document_id` text NOT NULL,
	`language` text NOT NULL,
	`final` integer DEFAULT false NOT NULL,
	`marked_by` text,
	`marked_at` integer,
	FOREIGN KEY (`document_id`) REFERENCES `outcome_documents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`marked_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outcome_language_versions_unique` ON `outcome_language_versions` (`document_id`,`language`);--> statement-breakpoint
CREATE TABLE `outcome_silences` (
	`id` text PRIMARY KEY NOT NULL,
	`document_id` text NOT NULL,
	`content_hash` text NOT NULL,
	`deadline` integer NOT NULL,
	`time_zone` text NOT NULL,
	`status` text DEFAULT 'running' NOT NULL,
	`started_by` text,
	`started_at` integer NOT NULL,
	`broken_by` text,
	`broken_delegation_id` text,
	`reason` text,
	`ended_at` integer,
	`lease_owner` text,
	`lease_until` integer,
	FOREIGN KEY (`document_id`) REFERENCES `outcome_documents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`started_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`broken_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`broken_delegation_id`) REFERENCES `delegations`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `outcome_silences_due_idx` ON `outcome_silences` (`status`,`deadline`);--> statement-breakpoint
CREATE INDEX `outcome_silences_document_idx` ON `outcome_silences` (`document_id`);--> statement-breakpoint
CREATE TABLE `outcome_snapshots` (
	`document_id` text PRIMARY KEY NOT NULL,
	`state` blob NOT NULL,
	`through_update_id` integer NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`document_id`) REFERENCES `outcome_documents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `outcome_translations` (
	`id` text PRIMARY KEY NOT NULL,
	`document_id` text NOT NULL,
	`language` text NOT NULL,
	`paragraph_id` text NOT NULL,
	`text` text NOT NULL,
	`source_hash` text NOT NULL,
	`user_id` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`document_id`) REFERENCES `outcome_documents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outcome_translations_unique` ON `outcome_translations` (`document_id`,`language`,`paragraph_id`);--> statement-breakpoint
CREATE TABLE `outcome_updates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`document_id` text NOT NULL,
	`update` blob NOT NULL,
	`user_id` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`document_id`) REFERENCES `outcome_documents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `outcome_updates_document_idx` ON `outcome_updates` (`document_id`,`id`);--> statement-breakpoint
ALTER TABLE `bodies` ADD `symbol_prefix` text;