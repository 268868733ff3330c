import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { migrateDatabase } from "#db/migrate";
import { demoSignInHint, seedDemoIfEmpty } from "~/server/demo/index";
import { purgeOldSignInFailures } from "~/models/people/throttle.server";
import { deliverDueMessages, setOutboxDeliverer } from "~/models/core/outbox.server";
import { renderOutboxAttachment } from "~/server/attachments.server";
import { startInboundSmtp, type InboundListener } from "~/server/inbound.server";
import { purgeExpiredSessions } from "~/models/people/sessions.server";
import { relayRevocations } from "~/models/people/revocation.server";
import { sweepAbandonedUploads } from "~/models/papers/storage.server";
import { runDueSilences } from "~/models/outcomes/silence.server";
import { runChipReferencesPass } from "~/models/minutes/chip-references.server";
import { sendAsks } from "~/models/notifications/sweep.server";
import { handleCollabUpgrade, shutdownCollab } from "~/server/collab.server";
import { loadInstanceExtensions } from "~/server/collab-instances.server";
import { claimDatabase, releaseDatabase } from "~/lib/backup.server";
import { closeDatabase, configureDatabase, db, dbClient, hasReplica } from "~/lib/db.server";
import { env, replyAddress } from "~/lib/env.server";
import { closeBus } from "~/lib/events.server";
import { closeMailTransport, mailConfigured, mailTransport } from "~/lib/mail.server";

/**
 * The server process's life cycle, exported through the server build's entry module
 * so that server.ts and the app share one copy of every module (one database client,
 * one collaboration server).
 */

const timers: NodeJS.Timeout[] = [];
let inbound: InboundListener | null = null;

function every(ms: number, job: () => Promise<unknown>) {
  const timer = setInterval(() => {
    job().catch((error) => console.error("background job failed", error));
  }, ms);
  timer.unref();
  timers.push(timer);
}

/**
 * One failing promise must not end a process that is holding a meeting's live documents:
 * an unhandled rejection is logged, with what it was, and the process carries on. (Node's
 * default since v15 is to exit.) Uncaught exceptions still end it: the state after a throw
 * outside any handler is unknown, and the crash-safe store makes a restart lose nothing.
 */
function keepRunningOnUnhandledRejection(): void {
  if (process.listenerCount("unhandledRejection") > 0) return;
  process.on("unhandledRejection", (reason) => {
    console.error("unhandled rejection (the process keeps running)", reason);
  });
}

/** Lines `npm start` prints under the address: where and how to sign in. */
export interface StartupInfo {
  signIn: string[];
}

export async function prepare({ migrationsFolder }: { migrationsFolder: string }): Promise<StartupInfo> {
  keepRunningOnUnhandledRejection();
  await configureDatabase(dbClient());
  await loadInstanceExtensions();
  // `npm run restore` refuses to replace a database a server is using.
  claimDatabase(env().DATABASE_URL);
  await migrateDatabase(db(), migrationsFolder);
  // Once per database: chips stored with their titles before ADR 042 become references.
  const chips = await runChipReferencesPass();
  if (chips.documents + chips.versions + chips.records + chips.annexes) console.info("action-item chips made references only", chips);
  // Opens the read replica, if there is one, and starts watching its lag (ADR 030).
  hasReplica();
  if (env().SEED_DEMO === "1") await seedDemoIfEmpty();
  // Sign-outs and changes of access on other instances close the connections held here (ADR 031).
  await relayRevocations();
  // No upload can be under way before the server listens: any unfinished one died with a process.
  await sweepAbandonedUploads();
  every(15 * 60_000, async () => {
    await purgeExpiredSessions();
    await purgeOldSignInFailures();
  });
  // Silence procedures past their deadline are adopted by whichever instance's transaction
  // claims them first (ADR 018); at start-up too, for deadlines passed while down.
  const silences = () => runDueSilences();
  await silences().catch((error) => console.error("silence procedures failed", error));
  every(Number(process.env.OUTCOME_SILENCE_INTERVAL_MS ?? 15_000), silences);
  // Asks and reminders by e-mail (ADR 025): each sweep queues what arose since the last one,
  // and daily digests once their hour has come; the notification log keeps it once-only.
  const asksEvery = Number(process.env.ASKS_INTERVAL_MS ?? 60_000);
  if (asksEvery > 0) every(asksEvery, () => sendAsks());
  if (mailConfigured()) {
    const interval = Number(process.env.OUTBOX_INTERVAL_MS ?? 10_000);
    const deliver = async () => {
      const transport = (await mailTransport())!;
      return deliverDueMessages({ transport, from: env().MAIL_FROM, replyTo: replyAddress(), renderAttachment: renderOutboxAttachment });
    };
    setOutboxDeliverer(deliver);
    every(interval, deliver);
  }
  const port = env().INBOUND_SMTP_PORT;
  if (port !== undefined) {
    inbound = await startInboundSmtp({ port, host: env().INBOUND_SMTP_HOST, address: replyAddress() });
    console.info(`calendar replies for ${replyAddress()} on smtp://${env().INBOUND_SMTP_HOST}:${inbound.port}`);
  }
  const demo = await demoSignInHint();
  return { signIn: demo ? [demo] : ["No demo here (SEED_DEMO=0 or an existing database): create an account with npm run user:create -- --email … --name \"…\" --body \"…\""] };
}

/** Only /collab may become a WebSocket; every other upgrade is refused. */
export function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
  const path = new URL(request.url ?? "/", "http://localhost").pathname;
  if (path !== "/collab") {
    socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    return;
  }
  handleCollabUpgrade(request, socket, head).catch((error) => {
    console.error("collaboration upgrade failed", error);
    socket.destroy();
  });
}

export async function shutdown(): Promise<void> {
  for (const timer of timers) clearInterval(timer);
  setOutboxDeliverer(null);
  await inbound?.close();
  inbound = null;
  await shutdownCollab();
  closeMailTransport();
  await closeBus();
  closeDatabase();
  releaseDatabase(env().DATABASE_URL);
}
