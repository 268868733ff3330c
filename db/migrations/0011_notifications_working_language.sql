CREATE TABLE `notification_log` (
	`user_id` text NOT NULL,
	`key` text NOT NULL,
	`outcome` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `key`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `users` ADD `notifications` text DEFAULT 'immediate' NOT NULL;--> statement-breakpoint
ALTER TABLE `bodies` ADD `working_language` text DEFAULT 'en' NOT NULL;