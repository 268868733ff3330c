import { json } from "@remix-run/node";
import { healthAnswer } from "~/models/core/health.server";

/**
 * 200 while the database and the live bus answer, 503 otherwise; the body says which part
 * failed. server.ts answers GET /healthz with the same `healthAnswer` before Remix is reached
 * (ADR 051); this route is the answer wherever the Remix handler alone serves the app.
 */
export async function loader() {
  const { status, headers, body } = await healthAnswer();
  return json(body, { status, headers });
}
