import { describe, expect, it } from "vitest";
import { daysLater, zoneAbbreviation } from "~/lib/datetime";
import { chosenZone, zoneName } from "~/lib/capitals";
import { createTranslator } from "~/lib/i18n";
import { catalogues } from "~/locales";

const JAN = new Date("2027-01-10T12:00:00Z");
const JUL = new Date("2027-07-10T12:00:00Z");

describe("zone names as readers expect them", () => {
  it.each([
    ["en", "America/New_York", JAN, "EST"],
    ["en", "America/New_York", JUL, "EDT"],
    ["en", "Asia/Tokyo", JAN, "JST"],
    ["en", "Asia/Seoul", JUL, "KST"],
    ["ja", "Asia/Tokyo", JAN, "JST"],
    ["ja", "America/New_York", JAN, "米国東部標準時"],
    ["ja", "America/New_York", JUL, "米国東部夏時間"],
    ["ja", "Asia/Seoul", JAN, "韓国標準時"],
    ["ko", "Asia/Seoul", JAN, "한국 표준시"],
    ["ko", "Asia/Tokyo", JAN, "일본 표준시"],
    ["ko", "America/New_York", JAN, "미 동부 표준시"],
  ] as const)("%s %s on %s is %s, never a bare GMT offset", (locale, zone, at, expected) => {
    expect(zoneAbbreviation(at, locale, zone)).toBe(expected);
  });
});

describe("capital zone names from the catalogue", () => {
  it.each([
    ["en", "America/New_York", JAN, "EST"],
    ["en", "America/New_York", JUL, "EDT"],
    ["en", "Asia/Tokyo", JUL, "JST"],
    ["en", "Asia/Seoul", JAN, "KST"],
    ["ja", "America/New_York", JUL, "米国東部夏時間"],
    ["ja", "Asia/Tokyo", JAN, "日本時間"],
    ["ko", "America/New_York", JAN, "미국 동부 표준시"],
    ["ko", "Asia/Seoul", JUL, "한국 표준시"],
  ] as const)("%s %s on %s is %s, the same on the server and in every browser", (locale, zone, at, expected) => {
    expect(zoneName(at, zone, createTranslator(locale, catalogues), locale)).toBe(expected);
  });

  it("falls back to Intl for other zones", () => {
    expect(zoneName(JAN, "Europe/Paris", createTranslator("en", catalogues), "en")).toBe(zoneAbbreviation(JAN, "en", "Europe/Paris"));
  });
});

describe("days later", () => {
  it("counts the calendar days between two instants in a zone", () => {
    const start = new Date("2027-03-10T04:00:00Z"); // 23:00 in New York on 9 March
    const end = new Date("2027-03-10T07:30:00Z"); // 02:30 the next day there
    expect(daysLater(start, end, "America/New_York")).toBe(1);
    expect(daysLater(start, end, "Asia/Tokyo")).toBe(0);
  });
});

describe("the agenda's zone", () => {
  const capitals = [{ timeZone: "America/New_York" }, { timeZone: "Asia/Tokyo" }];
  it("takes the reader's own or a capital's, and nothing else", () => {
    expect(chosenZone("Asia/Tokyo", "Europe/Paris", capitals)).toBe("Asia/Tokyo");
    expect(chosenZone("Europe/Paris", "Europe/Paris", capitals)).toBe("Europe/Paris");
    expect(chosenZone("Africa/Lagos", "Europe/Paris", capitals)).toBe("Europe/Paris");
    expect(chosenZone(null, "Asia/Tokyo", capitals)).toBe("Asia/Tokyo");
  });
});
