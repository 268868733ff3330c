/**
 * What the minutes' live document is called and where its text lives, apart from the editor's
 * schema (minutes-schema.ts, which brings tiptap): the live view that opens with the page
 * (ADR 056) needs these names without the editor's code.
 */

/** The Yjs fragment the document lives in. */
export const MINUTES_FIELD = "default";

/** Hocuspocus document names: one per meeting. */
export const minutesDocumentName = (meetingId: string) => `minutes:${meetingId}`;
export const meetingIdOfDocument = (name: string) => (/^minutes:([A-Za-z0-9_-]{1,64})$/.exec(name)?.[1] ?? null);

/** What a chip reads: `No.3 title`, or `No.3` where no title is given. */
export const chipLabel = (ref: unknown, title: unknown) => `No.${ref ?? "?"}${title ? ` ${String(title)}` : ""}`;
