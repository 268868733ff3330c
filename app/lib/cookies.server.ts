import { createCookie, type Cookie } from "@remix-run/node";
import { env, publicUrl } from "./env.server";

/**
 * Secure unless the deployment is explicitly served over plain HTTP on a non-local host;
 * browsers accept Secure cookies from http://localhost, so `npm start` works as is.
 */
function secure(): boolean {
  const url = new URL(publicUrl());
  if (url.protocol === "https:") return true;
  if (env().NODE_ENV !== "production") return false;
  return url.hostname === "localhost";
}

/**
 * Over https the cookies carry the `__Host-` prefix: the browser then accepts them only with
 * Secure, Path=/ and no Domain, so a sibling subdomain cannot plant or overwrite one.
 */
export function cookieName(name: string): string {
  return new URL(publicUrl()).protocol === "https:" ? `__Host-${name}` : name;
}

// Made once per environment, not on every call: a page asked for the session cookie three times
// (root, layout, page), each time parsing PUBLIC_URL twice (ADR 051). A new environment (tests
// reset it) gets new cookies.
const made = new WeakMap<object, Map<string, Cookie>>();

function cookie(name: string, maxAge?: number): Cookie {
  const e = env();
  let mine = made.get(e);
  if (!mine) made.set(e, (mine = new Map()));
  let found = mine.get(name);
  if (!found) {
    found = createCookie(cookieName(name), { httpOnly: true, sameSite: "lax", secure: secure(), path: "/", ...(maxAge === undefined ? {} : { maxAge }) });
    mine.set(name, found);
  }
  return found;
}

const YEAR_SECONDS = 60 * 60 * 24 * 365;

export const sessionCookie = () => cookie("concord_session");

/** A browser the person has signed in with before (sign-in throttling spares it; ADR 010). */
export const deviceCookie = () => cookie("concord_device", YEAR_SECONDS);

export const languageCookie = () => cookie("concord_lang", YEAR_SECONDS);
