import type { Actor } from "~/lib/actor";
import { db } from "~/lib/db.server";
import { agendaChannel, subscribe, type AgendaEvent, type LiveEvent } from "~/lib/events.server";
import { audienceFor, type Audience } from "~/models/core/audience.server";
import { getMeetingForMember } from "~/models/core/scope.server";
import type { CurrentUser } from "~/models/people/current-user.server";
import { registerConnection } from "~/models/people/revocation.server";

const HEARTBEAT_MS = 20_000;

/**
 * What one reader hears of a notice (ADR 037 addendum): a change to a record outside their TLP
 * audience reaches them only as "something changed" — no name, no kind, no record — so the page
 * still reloads its placeholders and clock within a second, and learns nothing else.
 */
export function noticeFor(audience: Pick<Audience, "may">, event: AgendaEvent): LiveEvent {
  const { record, ...notice } = event;
  if (!record || audience.may(record)) return notice;
  // The replication index says only where the change may be read, nothing of what it was.
  return { version: event.version, by: null, what: "change", ...(event.index !== undefined ? { index: event.index } : {}) };
}

/**
 * A stream of agenda changes for a member of the meeting's body, ending when they leave, when
 * their session or membership is revoked, or when the meeting's TLP audience changes (the list
 * published, invitations sent: `revokeMeetingAudience`). The browser's EventSource then
 * reconnects and is refused or decided again, with the audience as it is now.
 */
export async function watchAgenda({ actor, meetingId, signal }: { actor: Actor & Pick<CurrentUser, "sessionId" | "sessionCheckedAt" | "sessionExpiresAt">; meetingId: string; signal: AbortSignal }) {
  const { member } = await getMeetingForMember(db(), actor, meetingId);
  // Decided once per stream: every change of this audience closes the stream (meetingId below).
  const audience = await audienceFor(db(), member, meetingId);
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
      const unsubscribe = subscribe<AgendaEvent>(agendaChannel(meetingId), (event) => send(`data: ${JSON.stringify(noticeFor(audience, event))}\n\n`));
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
        meetingId,
        close: () => stop(),
      });
    },
    cancel() {
      stop();
    },
  });
}
