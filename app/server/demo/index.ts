import { count, eq } from "drizzle-orm";
import { db as appDb, type Database } from "~/lib/db.server";
import { users } from "#db/schema/index";
import { seedAccounts } from "~/server/demo/accounts";
import { seedActions } from "~/server/demo/actions";
import { seedAgendas, seedStandingItems } from "~/server/demo/agendas";
import { seedMeetings } from "~/server/demo/meetings";
import { seedMinutes } from "~/server/demo/minutes";
import { seedOutcomes } from "~/server/demo/outcomes";
import { seedPapersAndParticipants } from "~/server/demo/papers";

import { DEMO_PASSWORD } from "~/server/demo/demo-people";

export { DEMO_PASSWORD };

/** The whole demo. Idempotent: running it again adds only what is missing. */
export async function seedDemo(db: Database = appDb()) {
  const accounts = await seedAccounts(db);
  await seedStandingItems(db, accounts);
  const meetings = await seedMeetings(db, accounts);
  await seedActions(db, accounts);
  await seedAgendas(db, accounts);
  await seedMinutes(db, accounts);
  await seedOutcomes(db, accounts);
  await seedPapersAndParticipants(db, accounts);
  return { accounts, meetings };
}

/** `npm start` seeds only an empty database, so a real deployment is never touched. */
export async function seedDemoIfEmpty(db: Database = appDb()): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(users);
  if (Number(row?.n ?? 0) > 0) return false;
  await seedDemo(db);
  return true;
}

/**
 * What `npm start` tells a newcomer about signing in: the demo accounts, if the demo's first
 * account is in this database (its password may have been changed since; that is theirs to know).
 */
export async function demoSignInHint(db: Database = appDb()): Promise<string | null> {
  const { demoPeople } = await import("~/server/demo/demo-people");
  const [first] = await db.select({ id: users.id }).from(users).where(eq(users.email, demoPeople[0].email)).limit(1);
  if (!first) return null;
  return `Demo accounts (password "${DEMO_PASSWORD}"): ${demoPeople.map((p) => p.email).join(", ")}`;
}
