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
