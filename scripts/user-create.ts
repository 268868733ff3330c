/**
 * `npm run user:create -- --email a@example.org --name "A. Person" --body "Body name" [--slug body]
 *   [--delegations US:America/New_York,JP:Asia/Tokyo,KR:Asia/Seoul]`
 *
 * Makes the first secretariat account of a production deployment: creates the body if it
 * does not exist yet, adds the person as its secretariat, and prints a one-time link to set
 * the password (no password ever appears on a command line or in shell history).
 */
import { parseArgs } from "node:util";
import { migrateDatabase } from "../db/migrate";
import { closeDatabase, configureDatabase, db, dbClient } from "../app/lib/db.server";
import { publicUrl } from "../app/lib/env.server";
import { bootstrapSecretariat } from "~/models/people/bootstrap.server";

const { values } = parseArgs({
  options: {
    email: { type: "string" },
    name: { type: "string" },
    body: { type: "string" },
    slug: { type: "string" },
    delegations: { type: "string" },
  },
});

if (!values.email || !values.name || !values.body) {
  console.error('Usage: npm run user:create -- --email <email> --name "<full name>" --body "<body name>" [--slug <slug>] [--delegations US:America/New_York,...]');
  process.exit(2);
}

await configureDatabase(dbClient());
await migrateDatabase(db());
try {
  const result = await bootstrapSecretariat({
    input: {
      email: values.email,
      name: values.name,
      bodyName: values.body,
      slug: values.slug,
      delegations: values.delegations,
    },
  });
  console.log(`${result.createdBody ? "Created" : "Found"} body "${values.body}" (/bodies/${result.slug}).`);
  console.log(`${values.email} is its secretariat.`);
  if (result.setPasswordToken) {
    console.log(`One-time link to set the password (valid for 7 days):\n  ${publicUrl()}/set-password/${result.setPasswordToken}`);
  }
} catch (error) {
  const fields = (error as { fieldErrors?: Record<string, { key: string }[]> }).fieldErrors;
  if (fields) {
    for (const [field, errs] of Object.entries(fields)) console.error(`${field || "input"}: ${errs.map((e) => e.key).join(", ")}`);
    process.exitCode = 1;
  } else {
    throw error;
  }
} finally {
  closeDatabase();
}
