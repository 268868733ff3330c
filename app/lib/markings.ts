import { markings, type Marking } from "#db/vocabulary";

/** Traffic Light Protocol 2.0 labels, least to most restricted: the schema's list. */
export const MARKINGS = markings;
export type MarkingLabel = Marking;

/** The most restricted marking among several: a page or export carries the highest it contains. */
export function highestMarking(list: readonly string[], fallback: MarkingLabel = "TLP:CLEAR"): MarkingLabel {
  let best = MARKINGS.indexOf(fallback);
  for (const m of list) best = Math.max(best, MARKINGS.indexOf(m as MarkingLabel));
  return MARKINGS[best];
}

/** Markings whose text may go into a calendar file or another unrestricted channel. */
export const SHAREABLE_MARKINGS = ["TLP:CLEAR", "TLP:GREEN"] as const satisfies readonly MarkingLabel[];

/**
 * Who may read a record with a marking (FIRST TLP 2.0 as this product applies it). The one
 * rule every channel asks — pages, search, exports, e-mail, calendar files, the meeting book
 * and the live documents — through `app/models/core/audience.server.ts`, which gathers the
 * facts below for one reader and one meeting. See docs/decisions/019-tlp-audiences.md.
 */
export interface ReaderFacts {
  userId: string;
  role: "secretariat" | "head" | "delegate" | "official";
  delegationId: string | null;
  /**
   * Invited to the record's meeting. Before any invitation has gone out the audience of the
   * meeting is not narrowed yet, so every member counts as invited; for a record with no
   * meeting (an action item raised outside one) it is the body's membership.
   */
  invited: boolean;
  /** Whether the record's meeting has a published list of participants, and the reader is on it. */
  listPublished: boolean;
  onList: boolean;
}

export interface MarkedRecord {
  marking: string;
  /** TLP:AMBER+STRICT: the delegations named on the record (a paper's, an action item's owner). */
  delegationIds?: readonly (string | null)[];
  /** Who put it there: an uploader always sees their own paper. */
  createdBy?: string | null;
}

export function mayRead(reader: ReaderFacts, record: MarkedRecord): boolean {
  // The secretariat sees what it manages.
  if (reader.role === "secretariat") return true;
  if (record.createdBy && record.createdBy === reader.userId) return true;
  switch (record.marking) {
    case "TLP:CLEAR":
    case "TLP:GREEN":
      return true;
    case "TLP:AMBER":
      return reader.invited;
    case "TLP:AMBER+STRICT":
      return reader.delegationId !== null && (record.delegationIds ?? []).includes(reader.delegationId);
    case "TLP:RED":
      return reader.listPublished ? reader.onList : reader.role === "head";
    default:
      // An unknown label is treated as the most restricted.
      return false;
  }
}

/** Markings whose downloads are stamped with the marking and the reader's name on every page. */
export const isStamped = (m: string) => MARKINGS.indexOf(m as MarkingLabel) >= MARKINGS.indexOf("TLP:AMBER");

/** Agenda items are shared by every delegation: AMBER+STRICT belongs to papers and action items. */
export const AGENDA_MARKINGS = MARKINGS.filter((m) => m !== "TLP:AMBER+STRICT");

/**
 * The live minutes are one document for the meeting's invited members: their audience is
 * TLP:AMBER's, and they never hold text for a smaller audience (019-tlp-audiences; a RED
 * discussion belongs in the restricted annex).
 */
export const MINUTES_MARKING: MarkingLabel = "TLP:AMBER";

/**
 * Whether everyone in the audience of a document marked `container` may also read a record
 * marked `marking`: CLEAR ⊃ GREEN ⊃ AMBER ⊃ RED by rank; AMBER+STRICT names delegations, so no
 * shared document but one as strict holds it. An unknown label fits nowhere.
 */
export function fitsAudienceOf(container: string, marking: string): boolean {
  const inner = MARKINGS.indexOf(marking as MarkingLabel);
  const outer = MARKINGS.indexOf(container as MarkingLabel);
  if (inner < 0 || outer < 0) return false;
  if (marking === "TLP:AMBER+STRICT") return container === "TLP:AMBER+STRICT";
  if (container === "TLP:AMBER+STRICT") return inner <= MARKINGS.indexOf("TLP:AMBER");
  return inner <= outer;
}

/**
 * The restricted annex of a meeting's minutes (ADR 037): the one place for discussion meant for
 * the meeting's TLP:RED audience (the published list of participants; until then the
 * secretariat and the heads of delegation).
 */
export const ANNEX_MARKING: MarkingLabel = "TLP:RED";
