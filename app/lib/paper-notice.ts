import type { Message } from "~/lib/errors";

/**
 * What a paper upload or withdrawal posted without JavaScript tells the agenda page it returns
 * to: carried in the address (a redirect after POST), read back by the agenda's loader. Only
 * message keys of the papers' and the validation catalogues and plain values pass, so an
 * address cannot make the page say anything else.
 */
export interface PaperNotice {
  itemId: string;
  done: "added" | "withdrawn" | null;
  symbol: string | null;
  errors: Message[];
}

type Outcome = { ok: true; done: string; symbol: string | null } | { ok: false; fieldErrors?: Record<string, Message[]> };

/** A request from a page (a plain form post), not from a script that wants JSON. */
export function wantsPage(request: Request): boolean {
  const url = new URL(request.url);
  if (url.searchParams.has("_data")) return false;
  const accept = request.headers.get("Accept") ?? "";
  return accept.includes("text/html");
}

const KEY = /^(papers|errors):[\w.]+$/;
const ID = /^[\w-]{1,64}$/;

export function paperNoticeQuery(outcome: Outcome, itemId: string): string {
  const query = new URLSearchParams({ paperItem: ID.test(itemId) ? itemId : "" });
  if (outcome.ok) {
    query.set("paper", outcome.done);
    if (outcome.symbol) query.set("symbol", outcome.symbol);
  } else {
    const errors = Object.values(outcome.fieldErrors ?? {}).flat();
    query.set("paperError", JSON.stringify(errors.length ? errors : [{ key: "errors:validation.choice" }]));
  }
  return query.toString();
}

export function readPaperNotice(params: URLSearchParams): PaperNotice | null {
  const itemId = params.get("paperItem") ?? "";
  if (!ID.test(itemId)) return null;
  const done = params.get("paper");
  let errors: Message[] = [];
  try {
    const raw = JSON.parse(params.get("paperError") ?? "[]") as unknown;
    if (Array.isArray(raw)) {
      errors = raw
        .filter((m): m is Message => !!m && typeof m === "object" && typeof (m as Message).key === "string" && KEY.test((m as Message).key))
        .slice(0, 5)
        .map((m) => ({
          key: m.key,
          values: Object.fromEntries(Object.entries(m.values ?? {}).filter(([, v]) => typeof v === "number" || (typeof v === "string" && v.length <= 40))),
        }));
    }
  } catch {
    errors = [];
  }
  const symbol = params.get("symbol");
  return { itemId, done: done === "added" || done === "withdrawn" ? done : null, symbol: symbol && symbol.length <= 80 ? symbol : null, errors };
}
