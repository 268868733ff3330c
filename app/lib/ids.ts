import { randomBytes } from "node:crypto";

// Record ids are made where the schema defines them; the app uses the same function.
export { newId } from "#db/ids";

/** A secret for links and cookies: 256 random bits. */
export function newSecret(): string {
  return randomBytes(32).toString("base64url");
}
