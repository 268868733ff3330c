/**
 * Document symbols in a body's series, as the UN and OECD write them: the body's initials, the
 * meeting's ordinal, the series and a number, and `/Rev.n` for a revised version —
 * `TCCB/5/INF.1`, `TCCB/5/INF.1/Rev.1`, `TCCB/5/OD.2`.
 */
export type Series = "INF" | "OD";

/** The body's initials from its English name: "Trilateral Cyber Consultative Body" → "TCCB". */
export function seriesPrefix(nameEn: string): string {
  const initials = nameEn
    .split(/[\s\-–—/]+/)
    .filter((w) => /^[A-Z0-9]/.test(w))
    .map((w) => w[0])
    .join("");
  return initials || nameEn.replace(/[^A-Za-z0-9]/g, "").slice(0, 6).toUpperCase() || "DOC";
}

/** `prefix`: the body's own series prefix, set by the secretariat; the initials otherwise. */
export function symbolOf(parts: { bodyNameEn: string; prefix?: string | null; ordinal: number; series: Series; number: number; revision?: number }): string {
  const base = `${parts.prefix?.trim() || seriesPrefix(parts.bodyNameEn)}/${parts.ordinal}/${parts.series}.${parts.number}`;
  return parts.revision ? `${base}/Rev.${parts.revision}` : base;
}
