import type { Extensions, JSONContent } from "@tiptap/core";

// @tiptap/html/server brings happy-dom: about 50 MB and half a second at start-up, for a
// renderer only some pages use. It is loaded on the first render instead (ADR 033).
let renderer: Promise<typeof import("@tiptap/html/server")> | undefined;

/** ProseMirror JSON → HTML through the given extensions, as the editor would render it. */
export async function renderHTML(json: JSONContent, extensions: Extensions): Promise<string> {
  const { generateHTML } = await (renderer ??= import("@tiptap/html/server"));
  return generateHTML(json, extensions);
}
