import { createCookie } from "@remix-run/node";
import { env, publicUrl } from "./env.server";

/**
 * Secure unless the deployment is explicitly served over plain HTTP on a non-local host;
 * browsers accept Secure cookies from http://localhost, so `npm start` works as is.
 */
function secure(): boolean {
  if (env().NODE_ENV !== "production") return false;
  const url = new URL(publicUrl());
  return url.protocol === "https:" || url.hostname === "localhost";
}

export const sessionCookie = () =>
  createCookie("concord_session", {
    httpOnly: true,
    sameSite: "lax",
    secure: secure(),
    path: "/",
  });

export const languageCookie = () =>
  createCookie("concord_lang", {
    httpOnly: true,
    sameSite: "lax",
    secure: secure(),
    path: "/",
    maxAge: 60 * 60 * 24 * 365,
  });
