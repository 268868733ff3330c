ALTER TABLE `bodies` ADD `actions_version` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
CREATE TRIGGER `actions_version_item_insert` AFTER INSERT ON `action_items` BEGIN
  UPDATE bodies SET actions_version = actions_version + 1 WHERE id = new.body_id;
END;
--> statement-breakpoint
CREATE TRIGGER `actions_version_item_update` AFTER UPDATE OF body_id, ref, title, owner_delegation_id, due_kind, due_on, priority, status, marking, origin_meeting_id, created_by, created_at, closed_at ON `action_items` BEGIN
  UPDATE bodies SET actions_version = actions_version + 1 WHERE id IN (old.body_id, new.body_id);
END;
--> statement-breakpoint
CREATE TRIGGER `actions_version_item_delete` AFTER DELETE ON `action_items` BEGIN
  UPDATE bodies SET actions_version = actions_version + 1 WHERE id = old.body_id;
END;
--> statement-breakpoint
CREATE TRIGGER `actions_version_assignee_insert` AFTER INSERT ON `action_item_assignees` BEGIN
  UPDATE bodies SET actions_version = actions_version + 1 WHERE id = (SELECT body_id FROM action_items WHERE id = new.item_id);
END;
--> statement-breakpoint
CREATE TRIGGER `actions_version_assignee_update` AFTER UPDATE ON `action_item_assignees` BEGIN
  UPDATE bodies SET actions_version = actions_version + 1 WHERE id IN (SELECT body_id FROM action_items WHERE id IN (old.item_id, new.item_id));
END;
--> statement-breakpoint
CREATE TRIGGER `actions_version_assignee_delete` AFTER DELETE ON `action_item_assignees` BEGIN
  UPDATE bodies SET actions_version = actions_version + 1 WHERE id = (SELECT body_id FROM action_items WHERE id = old.item_id);
END;
--> statement-breakpoint
CREATE TRIGGER `actions_version_user_name` AFTER UPDATE OF name ON `users` WHEN old.name IS NOT new.name BEGIN
  UPDATE bodies SET actions_version = actions_version + 1 WHERE id IN (SELECT i.body_id FROM action_item_assignees a JOIN action_items i ON i.id = a.item_id WHERE a.user_id = new.id);
END;
