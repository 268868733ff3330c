import { json } from "@remix-run/node";
import { checkDatabase } from "~/models/core/health.server";

export async function loader() {
  try {
    await checkDatabase();
    return json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
  } catch {
    return json({ status: "unavailable" }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
