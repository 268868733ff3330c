/** Every IANA zone this runtime knows, for pickers and validation. */
export function timeZones(): string[] {
  const list = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return list.includes("UTC") ? list : ["UTC", ...list];
}

// Region/City names only: fixed offsets ("+09:00") and abbreviations ("EST") are refused,
// because a meeting's zone must follow daylight saving.
const REGION_CITY = /^[A-Za-z]+(?:\/[A-Za-z0-9_+-]+)+$/;

export function isTimeZone(zone: string): boolean {
  if (zone !== "UTC" && (!REGION_CITY.test(zone) || zone.startsWith("Etc/"))) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
