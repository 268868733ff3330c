/** `?zone=…` for links to the same agenda in the same zone (print, PDF, DOCX). */
export const zoneQuery = (zone: string) => `?zone=${encodeURIComponent(zone)}`;
