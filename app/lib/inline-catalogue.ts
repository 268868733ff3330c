/** The `<script type="application/json">` in every page's head with its language's error-page text. */
export const ERRORS_SCRIPT_ID = "concord-errors";

/** JSON safe inside a `<script>` element: no `</script>`, no `<!--` can end or bend it. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}
