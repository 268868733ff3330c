import type { Locale, TFunction } from "./i18n";
import { rememberedInZone, zoneAbbreviation, zoneCity } from "./datetime";

/**
 * A delegation's capital by its city, in the reader's language: Washington (not "New York",
 * which only names the zone), Tokyo, Seoul. Delegations the catalogue does not know yet fall
 * back to their zone's city.
 */
export function capitalName(delegation: { code: string; timeZone: string }, t: TFunction): string {
  const key = `common:capitals.${delegation.code}`;
  const name = t(key);
  return name === key ? zoneCity(delegation.timeZone) : name;
}

/**
 * The zone agenda times are shown in: the one the reader asked for if it is their own or a
 * member capital's, else the reader's own. Never an arbitrary string from the address bar.
 */
export function chosenZone(requested: string | null | undefined, viewerZone: string, capitals: Array<{ timeZone: string }>): string {
  if (requested && (requested === viewerZone || capitals.some((c) => c.timeZone === requested))) return requested;
  return viewerZone;
}

/** The zone's UTC offset in minutes at an instant, from the zone database through Intl. */
const offsetFormats = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();
function offsetMinutes(at: Date, timeZone: string): number {
  return rememberedInZone(offsets, at, timeZone, () => {
    let format = offsetFormats.get(timeZone);
    if (!format) offsetFormats.set(timeZone, (format = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })));
    const name = format.formatToParts(at).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
    const match = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
    return match ? (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3] ?? 0)) : 0;
  });
}

/**
 * The name of a zone at an instant as readers of the language expect it (EST/EDT, JST, KST;
 * 米国東部標準時, 한국 표준시…). The capitals' names come from the catalogue, so the server
 * and every browser write the same text whatever ICU data they carry; any other zone falls
 * back to Intl (`zoneAbbreviation`). Daylight time is whichever offset of the year is larger.
 */
export function zoneName(value: Date | string | number, timeZone: string, t: TFunction, locale: Locale): string {
  const at = value instanceof Date ? value : new Date(value);
  const year = at.getUTCFullYear();
  const jan = offsetMinutes(new Date(Date.UTC(year, 0, 15)), timeZone);
  const jul = offsetMinutes(new Date(Date.UTC(year, 6, 15)), timeZone);
  const daylight = jan !== jul && offsetMinutes(at, timeZone) === Math.max(jan, jul);
  const key = `common:zoneNames.${timeZone.replace(/\//g, "_")}.${daylight ? "daylight" : "standard"}`;
  const name = t(key);
  return name === key ? zoneAbbreviation(at, locale, timeZone) : name;
}
