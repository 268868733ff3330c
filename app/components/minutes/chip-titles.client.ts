/**
 * The chips' titles, apart from the editor's code (no tiptap here): the live view that opens
 * with the page (ADR 056) and the editor draw each chip the same way, from the page's data.
 */
import { chipLabel } from "~/lib/minutes-document";

/** An action item as the page's data gives it to this reader (`restricted`: outside their TLP audience). */
export interface ChipData {
  id: string;
  ref: number;
  title: string;
  status: string;
  restricted?: boolean;
}

/**
 * The titles the editor's chips show, from the page's data (ADR 042): the shared document
 * holds a chip's reference only, so each reader's chips read what that reader may see — the
 * item's title, or the placeholder outside its audience. New data repaints every chip at once;
 * a chip the data does not know yet (just raised by someone else) asks for the data again,
 * once, and shows the placeholder meanwhile and if the item stays unknown.
 */
export class ChipTitles {
  private chips: Map<string, ChipData>;
  private painters = new Set<() => void>();
  private asked = new Set<string>();

  constructor(
    chips: ChipData[],
    private placeholder: string,
    private reload: () => void,
  ) {
    this.chips = new Map(chips.map((c) => [c.id, c]));
  }

  update(chips: ChipData[], placeholder: string): void {
    this.chips = new Map(chips.map((c) => [c.id, c]));
    this.placeholder = placeholder;
    for (const paint of this.painters) paint();
  }

  /** What a chip reads, and whether its title is withheld from this reader. */
  label(id: string | null, ref: unknown): { text: string; restricted: boolean } {
    const chip = id ? this.chips.get(id) : undefined;
    if (!chip && id && !this.asked.has(id)) {
      this.asked.add(id);
      queueMicrotask(() => this.reload());
    }
    if (!chip || chip.restricted) return { text: chipLabel(ref, this.placeholder), restricted: true };
    return { text: chipLabel(chip.ref, chip.title), restricted: false };
  }

  subscribe(paint: () => void): () => void {
    this.painters.add(paint);
    return () => void this.painters.delete(paint);
  }
}

/**
 * Draws a chip into `dom` as the editor's node view does (the same attributes, in the same
 * order, so the live view's HTML is the editor's).
 */
export function paintChip(dom: HTMLElement, titles: ChipTitles, id: string | null, ref: unknown): void {
  const { text, restricted } = titles.label(id, ref);
  dom.setAttribute("data-action-item", id ?? "");
  if (ref != null) dom.setAttribute("data-ref", String(ref));
  dom.toggleAttribute("data-restricted", restricted);
  dom.textContent = text;
}
