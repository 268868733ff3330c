import { fileURLToPath } from "node:url";

/** The import aliases of tsconfig.json, for every vitest configuration. */
export const alias = {
  "~": fileURLToPath(new URL("./app", import.meta.url)),
  "#db": fileURLToPath(new URL("./db", import.meta.url)),
  "#tests": fileURLToPath(new URL("./tests", import.meta.url)),
};
