import type { TestProject } from "vitest/node";
import { buildApp, freePort, removeServerFiles, startServer, type RunningServer } from "../../support/server";

let server: RunningServer | undefined;

export default async function setup(project: TestProject) {
  buildApp();
  // Calendar replies reach the server's own inbound SMTP listener, as a relay would deliver them.
  const inboundPort = await freePort();
  const replyAddress = "replies@concord.test";
  // Silence deadlines a few seconds ahead are adopted within half a second in the journeys.
  server = await startServer({ env: { INBOUND_SMTP_PORT: String(inboundPort), REPLY_ADDRESS: replyAddress, OUTCOME_SILENCE_INTERVAL_MS: "500" } });
  project.provide("baseUrl", server.url);
  project.provide("inboundSmtpUrl", `smtp://127.0.0.1:${inboundPort}`);
  project.provide("replyAddress", replyAddress);
  project.provide("databaseFile", server.databaseFile);
  return async () => {
    if (!server) return;
    const code = await server.stop("SIGTERM");
    if (code !== 0) console.error(`server exited with ${code}:\n${server.output()}`);
    removeServerFiles(server);
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    databaseFile: string;
    inboundSmtpUrl: string;
    replyAddress: string;
  }
}
