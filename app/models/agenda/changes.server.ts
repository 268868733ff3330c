/**
 * Who must hear that a meeting's agenda items changed (added, renamed, withdrawn, moved), once
 * the change is committed: the live minutes follow the agenda's headings (issue 10). The
 * minutes depend on the agenda, not the other way round, so the minutes side subscribes here
 * when the collaboration server starts (app/server/collab.server.ts).
 */
type Listener = (meetingId: string) => unknown;

const listeners = new Set<Listener>();

export function onAgendaItemsChanged(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Called after commit; a listener that fails is logged, never the agenda change's problem. */
export async function agendaItemsChanged(meetingId: string): Promise<void> {
  for (const listener of listeners) {
    try {
      await listener(meetingId);
    } catch (error) {
      console.error(`following the agenda of meeting ${meetingId} failed`, error);
    }
  }
}
