/**
 * The restricted annex's live document (ADR 037): one per meeting, beside the minutes, in the
 * same editor schema and Yjs field (minutes-schema.ts). Only its name differs.
 */
export const annexDocumentName = (meetingId: string) => `annex:${meetingId}`;
export const meetingIdOfAnnex = (name: string) => (/^annex:([A-Za-z0-9_-]{1,64})$/.exec(name)?.[1] ?? null);
