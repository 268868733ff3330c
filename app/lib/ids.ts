import { randomBytes } from "node:crypto";

/** 16 URL-safe characters (96 random bits). */
export function newId(): string {
  return randomBytes(12).toString("base64url");
}

/** A secret for links and cookies: 256 random bits. */
export function newSecret(): string {
  return randomBytes(32).toString("base64url");
}
