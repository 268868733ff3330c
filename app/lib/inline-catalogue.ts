/** The `<script type="application/json">` in every page's head with its language's error-page text. */
export const ERRORS_SCRIPT_ID = "concord-errors";

/** JSON safe inside a `<script>` element: no `</script>`, no `<!--` can end or bend it. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

const written = new WeakMap<object, string>();

/**
 * `scriptJson` of a catalogue, written once per catalogue object: every page's head carries its
 * language's error texts, the same on every request (ADR 051). A catalogue that arrives is a new
 * object (catalogues.ts replaces, never edits), so nothing stale is ever written.
 */
export function catalogueScriptJson(catalogue: object): string {
  let json = written.get(catalogue);
  if (json === undefined) {
    json = scriptJson(catalogue);
    written.set(catalogue, json);
  }
  return json;
}
