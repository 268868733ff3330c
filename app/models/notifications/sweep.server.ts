import { and, eq } from "drizzle-orm";
import { bodies, notificationLog, users } from "#db/schema";
import { db } from "~/lib/db.server";
import { defaultLocale, isLocale } from "~/lib/i18n";
import { withTransaction } from "~/lib/transaction.server";
import { activeMembers } from "~/models/core/names.server";
import { nudgeOutbox, queueMessages } from "~/models/core/outbox.server";
import { getHome } from "~/models/home/home.server";
import { asksFrom, type Ask } from "~/models/notifications/asks.server";
import { askMessage, type Recipient } from "~/models/notifications/mail.server";

/** The local hour (in the person's time zone) from which their daily digest goes out. */
export const DIGEST_HOUR = 8;

function hourIn(zone: string, now: Date): number {
  return Number(new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", hourCycle: "h23" }).format(now));
}

/**
 * Asks and reminds every active member of every body, by e-mail through the outbox, as each
 * wants it (ADR 025): "immediate" mails what arose since the last sweep (one message per body),
 * "daily" sends one digest per body of everything waiting once it is past DIGEST_HOUR in their
 * zone, "off" sends nothing. Every ask dealt with is written to the notification log in the
 * same transaction as its message, and the log's primary key lets only one sweep deal with
 * it, however many instances sweep at once. Within one process sweeps never overlap (a slow
 * sweep outlasting its interval): a call while one runs joins it. Returns how many messages
 * the sweep queued.
 */
export function sendAsks({ now = new Date() }: { now?: Date } = {}): Promise<number> {
  sweeping ??= sweep(now).finally(() => {
    sweeping = null;
  });
  return sweeping;
}

let sweeping: Promise<number> | null = null;

async function sweep(now: Date): Promise<number> {
  let queued = 0;
  for (const body of await db().select().from(bodies)) {
    const people = await activeMembers(db(), body.id);
    for (const person of people) {
      const [row] = await db().select({ notifications: users.notifications }).from(users).where(eq(users.id, person.userId));
      const setting = row?.notifications ?? "immediate";
      const home = await getHome({ actor: { id: person.userId, name: person.name, email: person.email }, now, onlyBodyId: body.id });
      const overview = home.bodies[0];
      if (!overview) continue;
      const asks = asksFrom({ waiting: overview.waiting, next: overview.next, now, today: home.today });
      const to: Recipient = {
        userId: person.userId,
        name: person.name,
        email: person.email,
        locale: isLocale(person.locale) ? person.locale : isLocale(person.language) ? person.language : defaultLocale,
        zone: home.viewerZone,
      };
      const digestKey = setting === "daily" && hourIn(home.viewerZone, now) >= DIGEST_HOUR ? `digest:${body.id}:${home.today}` : null;
      if (asks.length === 0 && !digestKey) continue;
      queued += await withTransaction(async (tx, afterCommit) => {
        const outcome = setting === "immediate" ? "mailed" : setting === "daily" ? "digest" : "noted";
        const fresh = asks.length
          ? await tx
              .insert(notificationLog)
              .values(asks.map((ask) => ({ userId: person.userId, key: ask.key, outcome, at: now }) as const))
              .onConflictDoNothing()
              .returning({ key: notificationLog.key })
          : [];
        let message = null;
        if (setting === "immediate" && fresh.length) {
          const keys = new Set(fresh.map((f) => f.key));
          message = askMessage({ to, body, asks: asks.filter((ask: Ask) => keys.has(ask.key)), digest: false });
        }
        if (digestKey) {
          const [taken] = await tx.insert(notificationLog).values({ userId: person.userId, key: digestKey, outcome: "mailed", at: now }).onConflictDoNothing().returning({ key: notificationLog.key });
          if (taken && asks.length) message = askMessage({ to, body, asks, digest: true });
        }
        if (!message) return 0;
        await queueMessages(tx, [message], now);
        afterCommit(nudgeOutbox);
        return 1;
      });
    }
  }
  return queued;
}

/** What has been dealt with for a person (for the tests and for support questions). */
export async function notificationKeys(userId: string, prefix = ""): Promise<string[]> {
  const rows = await db().select({ key: notificationLog.key }).from(notificationLog).where(and(eq(notificationLog.userId, userId)));
  return rows.map((r) => r.key).filter((k) => k.startsWith(prefix)).sort();
}
