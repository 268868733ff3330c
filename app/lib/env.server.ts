import { z } from "zod";

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.string().min(1).default("file:./data/concord.db"),
  DATABASE_AUTH_TOKEN: z.string().optional(),
  /**
   * A read replica of DATABASE_URL (sqld replica mode). Page reads that need not be fresh go
   * to it; writes, transactions and the reads of whoever just wrote go to the primary (ADR 030).
   */
  DATABASE_REPLICA_URL: z.string().url().optional(),
  /** Past this lag the replica is bypassed and every read goes to the primary. */
  DATABASE_REPLICA_MAX_LAG_MS: z.coerce.number().int().min(0).default(5_000),
  /** The public origin used in links (calendar files, e-mails). Defaults to http://localhost:PORT. */
  PUBLIC_URL: z.string().url().optional(),
  SEED_DEMO: z.enum(["0", "1"]).default("1"),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default("Concord <concord@localhost>"),
  /**
   * The address calendar clients answer: ORGANIZER of every invitation and Reply-To of its
   * e-mail. Mail to it must reach Concord's inbound SMTP listener (a relay forwarding it).
   * Defaults to MAIL_FROM's address.
   */
  REPLY_ADDRESS: z.string().email().optional(),
  /** Port of the inbound SMTP listener for calendar replies; unset: no listener. */
  INBOUND_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Interface the listener binds to; loopback unless the relay is elsewhere. */
  INBOUND_SMTP_HOST: z.string().default("127.0.0.1"),
  /** Extra origins accepted for form posts and WebSocket connections, comma-separated. */
  ALLOWED_ORIGINS: z.string().default(""),
  /** Largest paper accepted, in megabytes. */
  PAPER_MAX_MB: z.coerce.number().int().min(1).max(2048).default(50),
  /** Papers are stored in the database by default; a directory here keeps their bytes on disk instead. */
  PAPER_STORAGE_DIR: z.string().optional(),
  LOG_LEVEL: z.enum(["silent", "error", "info"]).default("info"),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

/** The validated environment, read once; a bad value stops the process with a clear message. */
export function env(): Env {
  if (!cached) {
    const parsed = schema.safeParse(process.env);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      throw new Error(`Invalid environment: ${problems}`);
    }
    cached = parsed.data;
  }
  return cached;
}

export function publicUrl(): string {
  const e = env();
  return (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, "");
}

/** The address replies go to (ORGANIZER, Reply-To): REPLY_ADDRESS, else the address in MAIL_FROM. */
export function replyAddress(): string {
  const e = env();
  if (e.REPLY_ADDRESS) return e.REPLY_ADDRESS;
  const from = e.MAIL_FROM.trim();
  return (/<([^<>\s]+@[^<>\s]+)>\s*$/.exec(from)?.[1] ?? from).toLowerCase();
}
