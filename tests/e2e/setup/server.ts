import type { TestProject } from "vitest/node";
import { buildApp, removeServerFiles, startServer, type RunningServer } from "../../support/server";

let server: RunningServer | undefined;

export default async function setup(project: TestProject) {
  buildApp();
  // Silence deadlines a few seconds ahead are adopted within half a second in the journeys.
  server = await startServer({ env: { OUTCOME_SILENCE_INTERVAL_MS: "500" } });
  project.provide("baseUrl", server.url);
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
  }
}
