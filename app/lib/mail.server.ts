import nodemailer, { type Transporter } from "nodemailer";
import { env } from "./env.server";

let transport: Transporter | null | undefined;

/** The SMTP transport when SMTP_URL is set (smtp://user:pass@host:port, smtps://…), else null. */
export function mailTransport(): Transporter | null {
  if (transport === undefined) {
    const url = env().SMTP_URL;
    transport = url ? nodemailer.createTransport(url) : null;
  }
  return transport;
}

export function closeMailTransport(): void {
  transport?.close();
  transport = undefined;
}
