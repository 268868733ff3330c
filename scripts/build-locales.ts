/**
 * Part of `npm run build`: writes every translation catalogue to public/locales as a file
 * named by its content (ADR 039), and removes the files of catalogues that changed since.
 */
import { writeCatalogueFiles } from "../app/lib/catalogue-files.server";

const files = writeCatalogueFiles("public");
const kb = files.reduce((sum, f) => sum + f.body.length, 0) / 1024;
console.log(`public/locales: ${files.length} catalogue files (${kb.toFixed(0)} KB)`);
