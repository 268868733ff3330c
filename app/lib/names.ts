import type { Locale } from "./i18n";

export interface Named {
  nameEn: string;
  nameJa: string;
  nameKo: string;
}

/** A record's name in the reader's language. */
export function nameIn(record: Named, locale: Locale | string): string {
  switch (locale) {
    case "ja":
      return record.nameJa || record.nameEn;
    case "ko":
      return record.nameKo || record.nameEn;
    default:
      return record.nameEn;
  }
}
