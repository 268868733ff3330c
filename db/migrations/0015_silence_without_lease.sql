ALTER TABLE `outcome_silences` DROP COLUMN `lease_owner`;--> statement-breakpoint
ALTER TABLE `outcome_silences` DROP COLUMN `lease_until`;