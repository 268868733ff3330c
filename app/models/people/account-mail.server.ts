import { eq } from "drizzle-orm";
import { bodies } from "#db/schema";
import type { DbOrTx } from "~/lib/db.server";
import { publicUrl } from "~/lib/env.server";
import { getT } from "~/lib/i18n.server";
import { defaultLocale, isLocale } from "~/lib/i18n";
import { nameIn } from "~/lib/names";
import { queueMessages } from "~/models/core/outbox.server";

/** The e-mail that carries a one-time set-password link, in the person's language. */
export async function queuePasswordLinkMail(
  tx: DbOrTx,
  input: { bodyId: string; userId: string; name: string; email: string; locale: string | null; token: string; firstTime: boolean },
) {
  const locale = isLocale(input.locale) ? input.locale : defaultLocale;
  const t = getT(locale);
  const [body] = await tx.select().from(bodies).where(eq(bodies.id, input.bodyId));
  const bodyName = nameIn(body, locale);
  const link = `${publicUrl()}/set-password/${input.token}`;
  await queueMessages(tx, [
    {
      bodyId: input.bodyId,
      userId: input.userId,
      kind: input.firstTime ? "account.welcome" : "account.password",
      toEmail: input.email,
      toName: input.name,
      subject: t(input.firstTime ? "members:mail.welcomeSubject" : "members:mail.resetSubject", { body: bodyName }),
      text: [
        t("calendar:mail.greeting", { name: input.name }),
        "",
        t(input.firstTime ? "members:mail.welcomeBody" : "members:mail.resetBody", { body: bodyName }),
        "",
        link,
        "",
        t("members:mail.expiry"),
        "",
        t("calendar:mail.signature"),
      ].join("\n"),
    },
  ]);
}
