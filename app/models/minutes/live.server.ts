import type * as Y from "yjs";

/**
 * The live documents, as the minutes rules need them. The collaboration server (app/server)
 * provides them when it starts; models ask through this port and never import the server,
 * so the layers point one way.
 */
export interface LiveDocuments {
  /** Reads or changes a meeting's live document from the server, as one more client. */
  withDocument<T>(meetingId: string, fn: (doc: Y.Doc) => T): Promise<T>;
  /** Makes every open editor of the document reconnect, so its rights are decided again. */
  reconnect(meetingId: string): void;
  /** Tells every open minutes page that the minutes changed state (they reload their data at once). */
  announce(meetingId: string, what: MinutesChange): void;
}

/** What a life-cycle step did, as pushed to open pages. */
export type MinutesChange = "circulated" | "approved" | "adopted" | "amending" | "restored" | "actions";

let provided: LiveDocuments | null = null;

export function provideLiveDocuments(live: LiveDocuments): void {
  provided = live;
}

function live(): LiveDocuments {
  if (!provided) throw new Error("The collaboration server is not running (app/server/collab.server.ts provides the live documents).");
  return provided;
}

export const withDocument = <T>(meetingId: string, fn: (doc: Y.Doc) => T) => live().withDocument(meetingId, fn);
export const reconnectEditors = (meetingId: string) => live().reconnect(meetingId);
export const announceChange = (meetingId: string, what: MinutesChange) => live().announce(meetingId, what);

/**
 * An action item raised at the meeting changed (title, marking, status): open minutes pages
 * reload their chips, each as its reader may see them (ADR 042). Nothing to tell when no
 * collaboration server runs in this process (a script, a model test).
 */
export const announceChipsChanged = (meetingId: string | null) => {
  if (meetingId && provided) provided.announce(meetingId, "actions");
};

// Who wrote in each document since its last named version: noted by the server as updates
// are stored, taken by the model when it names a version.
const contributors = new Map<string, Set<string>>();

export function noteContributor(meetingId: string, userId: string): void {
  let set = contributors.get(meetingId);
  if (!set) contributors.set(meetingId, (set = new Set()));
  set.add(userId);
}

/** Who wrote since the last named version (still noted until `forgetContributors` after the commit). */
export function contributorsSince(meetingId: string): string[] {
  return [...(contributors.get(meetingId) ?? [])];
}

/** Called once a version naming them is committed; anyone who wrote meanwhile stays noted. */
export function forgetContributors(meetingId: string, named: string[]): void {
  const set = contributors.get(meetingId);
  if (!set) return;
  for (const id of named) set.delete(id);
  if (!set.size) contributors.delete(meetingId);
}
