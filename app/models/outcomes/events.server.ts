import type { Actor } from "~/lib/actor";
import { db } from "~/lib/db.server";
import { publish, subscribe } from "~/lib/events.server";
import { getOutcomeForMember } from "~/models/outcomes/access.server";

/**
 * Live pages of an outcome document: every change (a bracket, a choice, a clearance, the
 * silence procedure, a translation, the issue) is published after its commit; every open
 * page of the document reloads its data within a second. The text itself is live through Yjs.
 */
export const outcomeChannel = (documentId: string) => `outcome:${documentId}`;

export function announceOutcomeChange(documentId: string, by: Actor | null, what: string): void {
  publish(outcomeChannel(documentId), { version: Date.now(), by: by ? { id: by.id, name: by.name } : null, what });
}

const HEARTBEAT_MS = 20_000;

/** A stream of the document's changes for a member of its body, ending when they leave. */
export async function watchOutcome({ actor, documentId, signal }: { actor: Actor; documentId: string; signal: AbortSignal }) {
  await getOutcomeForMember(db(), actor, documentId);
  const encoder = new TextEncoder();
  let stop = () => {};
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stop();
        }
      };
      send("retry: 2000\n\n");
      const unsubscribe = subscribe(outcomeChannel(documentId), (event) => send(`data: ${JSON.stringify(event)}\n\n`));
      const heartbeat = setInterval(() => send(": keep-alive\n\n"), HEARTBEAT_MS);
      stop = () => {
        clearInterval(heartbeat);
        unsubscribe();
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      signal.addEventListener("abort", () => stop(), { once: true });
    },
    cancel() {
      stop();
    },
  });
}
