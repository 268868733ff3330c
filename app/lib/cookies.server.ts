import { createCookie } from "@remix-run/node";
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

export const sessionCookie = () =>
  createCookie(cookieName("concord_session"), {
    httpOnly: true,
    sameSite: "lax",
    secure: secure(),
    path: "/",
  });

/** A browser the person has signed in with before (sign-in throttling spares it; ADR 010). */
export const deviceCookie = () =>
  createCookie(cookieName("concord_device"), {
    httpOnly: true,
    sameSite: "lax",
    secure: secure(),
    path: "/",
    maxAge: 60 * 60 * 24 * 365,
  });

export const languageCookie = () =>
  createCookie(cookieName("concord_lang"), {
    httpOnly: true,
    sameSite: "lax",
    secure: secure(),
    path: "/",
    maxAge: 60 * 60 * 24 * 365,
  });
