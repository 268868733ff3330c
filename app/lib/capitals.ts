import type { TFunction } from "./i18n";
import { zoneCity } from "./datetime";

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
