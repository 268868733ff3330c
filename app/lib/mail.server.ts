import nodemailer, { type Transporter } from "nodemailer";
import { env } from "./env.server";

let transport: Transporter | null | undefined;

/** The SMTP transport when SMTP_URL is set (smtp://user:pass@host:port, smtps://…), else null. */
export function mailTransport(): Transporter | null {
  if (transport === undefined) {
    const url = env().SMTP_URL;
    // Bounded waits keep one send well inside an outbox lease (outbox.server.ts, ADR 022).
    transport = url ? nodemailer.createTransport(url, { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 120_000 }) : null;
  }
  return transport;
}

export function closeMailTransport(): void {
  transport?.close();
  transport = undefined;
}
