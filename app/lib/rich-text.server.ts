import type SanitizeHtml from "sanitize-html";
import { lazyRequire } from "./lazy-require.server";

// sanitize-html with htmlparser2, postcss and entities: 400 KB, needed by writes and search only.
const sanitizer = lazyRequire<typeof SanitizeHtml>("sanitize-html");
const sanitizeHtml = (html: string, options: SanitizeHtml.IOptions) => sanitizer()(html, options);

/**
 * Rich text as Concord stores it: a small, safe subset of HTML. Scripts, event handlers,
 * styles and any link that is not http(s) or mailto are removed, whatever was pasted.
 */
const options: SanitizeHtml.IOptions = {
  allowedTags: ["p", "br", "strong", "b", "em", "i", "u", "s", "ul", "ol", "li", "a", "blockquote", "code", "pre", "h3", "h4"],
  allowedAttributes: { a: ["href"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  transformTags: {
    // A link that goes nowhere safe keeps its words and loses its link (span is not allowed, so only the text stays).
    a: (_tag, attribs): SanitizeHtml.Tag =>
      /^(https?:|mailto:)/i.test((attribs.href ?? "").trim())
        ? { tagName: "a", attribs: { href: attribs.href.trim(), rel: "noopener noreferrer nofollow", target: "_blank" } }
        : { tagName: "span", attribs: {} as SanitizeHtml.Attributes },
    h1: "h3",
    h2: "h3",
  },
};
options.allowedAttributes = { a: ["href", "rel", "target"] };

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Sanitised HTML from what a form sent: HTML from the editor, or plain text typed without it. */
export function sanitizeRichText(input: string): string {
  const trimmed = input.trim();
  if (!trimmed) return "";
  const looksLikeHtml = /<\/?[a-z][\s\S]*>/i.test(trimmed);
  const html = looksLikeHtml
    ? trimmed
    : trimmed
        .split(/\n{2,}/)
        .map((para) => `<p>${escape(para).replace(/\n/g, "<br>")}</p>`)
        .join("");
  return sanitizeHtml(html, options).trim();
}

/** The words of a rich text, for CSV, search and calendar text. */
export function richTextToPlain(html: string): string {
  return sanitizeHtml(html.replace(/<\/(p|li|h3|h4|blockquote|pre)>/g, "\n").replace(/<br\s*\/?>/g, "\n"), { allowedTags: [], allowedAttributes: {} })
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
