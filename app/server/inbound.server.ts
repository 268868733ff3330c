import type { SMTPServerOptions } from "smtp-server";
import { MAX_CALENDAR_MAIL_BYTES } from "~/lib/calendar-mail.server";
import { receiveCalendarMail } from "~/models/meetings/replies.server";

/**
 * Concord's own inbound SMTP listener for calendar replies (ADR 011). The organisation's mail
 * relay forwards the reply address here; the listener takes mail for that address only, of
 * bounded size, and hands each message to the meetings model. A message that was read is
 * always accepted (250), whatever Concord made of it, so no calendar client gets a bounce;
 * only a failure on Concord's side answers 451 so the relay tries again later.
 */
export interface InboundListener {
  port: number;
  close(): Promise<void>;
}

export async function startInboundSmtp({ port, host, address }: { port: number; host: string; address: string }): Promise<InboundListener> {
  const accepted = address.toLowerCase();
  const options: SMTPServerOptions = {
    name: "concord",
    banner: "Concord calendar replies",
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    size: MAX_CALENDAR_MAIL_BYTES,
    logger: false,
    onRcptTo(rcpt, _session, callback) {
      if (rcpt.address.toLowerCase() === accepted) return callback();
      callback(Object.assign(new Error("550 no such mailbox here"), { responseCode: 550 }));
    },
    onData(stream, _session, callback) {
      const chunks: Uint8Array[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(new Uint8Array(chunk)));
      stream.on("end", () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          callback(Object.assign(new Error("552 message too large for a calendar reply"), { responseCode: 552 }));
          return;
        }
        receiveCalendarMail(new Uint8Array(Buffer.concat(chunks))).then(
          () => callback(),
          (error: unknown) => {
            console.error("calendar reply could not be handled", error);
            callback(Object.assign(new Error("451 try again later"), { responseCode: 451 }));
          },
        );
      });
    },
  };
  // Loaded only where inbound SMTP is configured (ADR 033).
  const { SMTPServer } = await import("smtp-server");
  const server = new SMTPServer(options);
  server.on("error", (error) => console.error("inbound SMTP", error));
  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.server.address() as { port: number }).port;
  return { port: bound, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
