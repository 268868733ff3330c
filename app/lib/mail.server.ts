import type { Transporter } from "nodemailer";
import { env } from "./env.server";

let transport: Promise<Transporter> | undefined;

/** Whether outgoing mail is configured (SMTP_URL: smtp://user:pass@host:port, smtps://…). */
export function mailConfigured(): boolean {
  return !!env().SMTP_URL;
}

/**
 * The SMTP transport when SMTP_URL is set, else null. nodemailer (268 KB) is loaded by the
 * first delivery, not at start-up (ADR 033, ADR 048): the outbox job first runs after its
 * interval, and a commit that queues mail calls the deliverer after the server is serving.
 */
export async function mailTransport(): Promise<Transporter | null> {
  const url = env().SMTP_URL;
  if (!url) return null;
  transport ??= import("nodemailer").then(({ default: nodemailer }) =>
    // Bounded waits keep one send well inside an outbox lease (outbox.server.ts, ADR 022).
    nodemailer.createTransport(url, { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 120_000 }),
  );
  const pending = transport;
  // A failed load is forgotten, so the next delivery tries again.
  pending.catch(() => {
    if (transport === pending) transport = undefined;
  });
  return pending;
}

export function closeMailTransport(): void {
  void transport?.then((t) => t.close(), () => undefined);
  transport = undefined;
}
