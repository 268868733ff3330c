import { and, asc, eq } from "drizzle-orm";
import { memberships, users } from "#db/schema";
import type { DbOrTx } from "~/lib/db.server";
import { publicUrl } from "~/lib/env.server";
import { getT } from "~/lib/i18n.server";
import { defaultLocale, isLocale } from "~/lib/i18n";
import { queueMessages } from "~/models/core/outbox.server";

/**
 * Tells a person, in their language, that the security of their account changed (a second
 * factor added or removed, recovery codes replaced, a reset by the secretariat), so a change
 * they did not make does not go unnoticed. Queued in the change's own transaction.
 */
export async function queueSecurityMail(tx: DbOrTx, { userId, change }: { userId: string; change: string }): Promise<void> {
  const [user] = await tx.select({ name: users.name, email: users.email, locale: users.locale }).from(users).where(eq(users.id, userId));
  // The outbox belongs to a body: the person's first, as the settings page's zone does.
  const [membership] = await tx
    .select({ bodyId: memberships.bodyId })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.active, true)))
    .orderBy(asc(memberships.createdAt))
    .limit(1);
  if (!user || !membership) return;
  const locale = isLocale(user.locale) ? user.locale : defaultLocale;
  const t = getT(locale);
  await queueMessages(tx, [
    {
      bodyId: membership.bodyId,
      userId,
      kind: "account.security",
      toEmail: user.email,
      toName: user.name,
      subject: t("settings:securityMail.subject"),
      text: [
        t("calendar:mail.greeting", { name: user.name }),
        "",
        t(`settings:securityMail.changes.${change.replace(/^user\.twoFactor\./, "").replace(/\./g, "_")}`),
        "",
        t("settings:securityMail.notYou"),
        `${publicUrl()}/settings`,
        "",
        t("calendar:mail.signature"),
      ].join("\n"),
    },
  ]);
}
