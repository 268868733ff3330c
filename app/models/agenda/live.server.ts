import type { Actor } from "~/lib/actor";
import { db } from "~/lib/db.server";
import { agendaChannel, subscribe } from "~/lib/events.server";
import { getMeetingForMember } from "~/models/core/scope.server";

const HEARTBEAT_MS = 20_000;

/** A stream of agenda changes for a member of the meeting's body, ending when they leave. */
export async function watchAgenda({ actor, meetingId, signal }: { actor: Actor; meetingId: string; signal: AbortSignal }) {
  await getMeetingForMember(db(), actor, meetingId);
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
      const unsubscribe = subscribe(agendaChannel(meetingId), (event) => send(`data: ${JSON.stringify(event)}\n\n`));
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
