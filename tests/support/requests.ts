/** Real Requests for calling loaders and actions directly, as Remix would. */
export const BASE = "http://localhost:3000";

export function get(path: string, cookie?: string, headers: Record<string, string> = {}): Request {
  return new Request(`${BASE}${path}`, { headers: { ...(cookie ? { cookie } : {}), ...headers } });
}

export function post(path: string, form: Record<string, string | string[]>, cookie?: string, headers: Record<string, string> = {}): Request {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const value of Array.isArray(v) ? v : [v]) body.append(k, value);
  return new Request(`${BASE}${path}`, {
    method: "POST",
    body,
    headers: { "content-type": "application/x-www-form-urlencoded", origin: BASE, ...(cookie ? { cookie } : {}), ...headers },
  });
}

export const context = { requestId: "test", clientAddress: "127.0.0.1" };

/** Runs a loader/action and returns its Response whether it returned or threw one. */
export async function respond(run: () => Promise<unknown>): Promise<Response> {
  try {
    const result = await run();
    if (result instanceof Response) return result;
    return new Response(JSON.stringify(result), { status: 200 });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
