import { describe, expect, it } from "vitest";
import { dayInZone, formatInstant } from "~/lib/datetime";
import { isTimeZone } from "~/lib/time-zones";

describe("time zones", () => {
  it("accept IANA region/city names and UTC only", () => {
    for (const z of ["America/New_York", "Asia/Tokyo", "Asia/Seoul", "UTC", "America/Argentina/Buenos_Aires"]) expect(isTimeZone(z), z).toBe(true);
    for (const z of ["+09:00", "EST", "GMT+9", "Etc/GMT-9", "Mars/Olympus", "", "a".repeat(100)]) expect(isTimeZone(z), z).toBe(false);
  });

  it("format an instant in the reader's zone and language", () => {
    const instant = new Date("2027-03-09T14:00:00Z");
    expect(formatInstant(instant, "en", "Asia/Tokyo", "time")).toBe("23:00");
    expect(dayInZone(instant, "America/New_York")).toBe("2027-03-09");
    expect(dayInZone(new Date("2027-03-09T16:00:00Z"), "Asia/Seoul")).toBe("2027-03-10");
    expect(formatInstant(instant, "ja", "Asia/Tokyo", "date")).toBe("2027/03/09");
  });
});
