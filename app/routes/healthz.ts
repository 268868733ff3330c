import { json } from "@remix-run/node";
import { checkHealth } from "~/models/core/health.server";

/** 200 while the database and the live bus answer, 503 otherwise; the body says which part failed. */
export async function loader() {
  const health = await checkHealth();
  return json(
    { status: health.ok ? "ok" : "unavailable", database: health.database, bus: health.bus, ...(health.replica ? { replica: health.replica } : {}) },
    { status: health.ok ? 200 : 503, headers: { "Cache-Control": "no-store", ...(health.ok ? {} : { "Retry-After": "5" }) } },
  );
}
