import { eq } from "drizzle-orm";
import { z } from "zod";
import { users } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { db } from "~/lib/db.server";
import { withTransaction } from "~/lib/transaction.server";
import { parseInput } from "~/lib/validation";
import { recordAudit } from "~/models/core/audit.server";

/** How a person wants to be asked and reminded by e-mail. */
export const NOTIFICATION_CHOICES = ["immediate", "daily", "off"] as const;
export type NotificationChoice = (typeof NOTIFICATION_CHOICES)[number];

const schema = z.object({ notifications: z.enum(NOTIFICATION_CHOICES, { message: "errors:validation.choice" }) });

export async function getNotificationSetting({ actor }: { actor: Actor }): Promise<NotificationChoice> {
  const [row] = await db().select({ notifications: users.notifications }).from(users).where(eq(users.id, actor.id));
  return row?.notifications ?? "immediate";
}

/** The person's own choice, recorded in their audit trail like their other settings. */
export async function setNotificationSetting({ actor, input }: { actor: Actor; input: unknown }): Promise<void> {
  const { notifications } = parseInput(schema, input);
  await withTransaction(async (tx) => {
    const [before] = await tx.select({ notifications: users.notifications }).from(users).where(eq(users.id, actor.id));
    if (!before || before.notifications === notifications) return;
    await tx.update(users).set({ notifications }).where(eq(users.id, actor.id));
    await recordAudit(tx, { bodyId: null, actorId: actor.id, action: "user.notifications", entityType: "user", entityId: actor.id, before, after: { notifications } });
  });
}
