import type { Actor } from "~/lib/actor";
import { db } from "~/lib/db.server";
import { agendaChannel, subscribe } from "~/lib/events.server";
import { getMeetingForMember } from "~/models/core/scope.server";
import type { CurrentUser } from "~/models/people/current-user.server";
import { registerConnection } from "~/models/people/revocation.server";

const HEARTBEAT_MS = 20_000;

/**
 * A stream of agenda changes for a member of the meeting's body, ending when they leave, or
 * when their session or membership is revoked (the browser's EventSource then reconnects and
 * is refused or decided again).
 */
export async function watchAgenda({ actor, meetingId, signal }: { actor: Actor & Pick<CurrentUser, "sessionId" | "sessionCheckedAt" | "sessionExpiresAt">; meetingId: string; signal: AbortSignal }) {
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
      let unregister = () => {};
      stop = () => {
        clearInterval(heartbeat);
        unsubscribe();
        unregister();
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      signal.addEventListener("abort", () => stop(), { once: true });
      unregister = registerConnection({
        userId: actor.id,
        sessionId: actor.sessionId,
        authorizedAt: actor.sessionCheckedAt,
        expiresAt: actor.sessionExpiresAt,
        close: () => stop(),
      });
    },
    cancel() {
      stop();
    },
  });
}
