import type { TestProject } from "vitest/node";
import { buildApp, removeServerFiles, startServer, type RunningServer } from "../../support/server";

let server: RunningServer | undefined;

export default async function setup(project: TestProject) {
  buildApp();
  server = await startServer();
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
