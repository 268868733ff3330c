import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { catalogues } from "~/locales";
import { locales, type Locale } from "./i18n";

/**
 * Each catalogue (language × namespace) as a file named by its content (ADR 039):
 * `/locales/ja/agenda.3f9a1c2b7d4e.json`. A changed catalogue gets a new name, so the files
 * are cached for a year and never asked for again; an old page still names the old file.
 * `npm run build` writes them under public/locales (scripts/build-locales.ts); the route
 * `locales.$locale.$file.ts` answers for the same names where the files were not written
 * (`npm run dev`, a catalogue edited since the build).
 */
export interface CatalogueFile {
  locale: Locale;
  ns: string;
  /** The path under public/ and the URL: `/locales/<locale>/<ns>.<hash>.json`. */
  url: string;
  body: string;
}

const PREFIX = "/locales";

function fileOf(locale: Locale, ns: string, catalogue: unknown): CatalogueFile {
  const body = JSON.stringify(catalogue);
  const hash = createHash("sha256").update(body).digest("hex").slice(0, 12);
  return { locale, ns, url: `${PREFIX}/${locale}/${ns}.${hash}.json`, body };
}

const all: CatalogueFile[] = locales.flatMap((locale) =>
  Object.entries(catalogues[locale] as Record<string, unknown>).map(([ns, catalogue]) => fileOf(locale, ns, catalogue)),
);
const byUrl = new Map(all.map((f) => [f.url, f]));
const urlsByLocale = Object.fromEntries(
  locales.map((locale) => [locale, Object.fromEntries(all.filter((f) => f.locale === locale).map((f) => [f.ns, f.url]))]),
) as Record<Locale, Record<string, string>>;

/** Namespace → URL of its file, for one language: what the root loader tells the browser. */
export function catalogueUrls(locale: Locale): Record<string, string> {
  return urlsByLocale[locale];
}

/** The file at a URL, if it is one of this build's catalogues. */
export function catalogueAt(url: string): CatalogueFile | undefined {
  return byUrl.get(url);
}

/** Writes every catalogue file under `publicDir`/locales, removing any from earlier builds. */
export function writeCatalogueFiles(publicDir: string): CatalogueFile[] {
  const root = join(publicDir, PREFIX);
  for (const locale of locales) {
    const dir = join(root, locale);
    mkdirSync(dir, { recursive: true });
    const current = new Set(all.filter((f) => f.locale === locale).map((f) => f.url.slice(f.url.lastIndexOf("/") + 1)));
    for (const name of readdirSync(dir)) if (!current.has(name)) rmSync(join(dir, name), { force: true });
  }
  for (const file of all) writeFileSync(join(publicDir, file.url), file.body);
  return all;
}
