import { ActionItemChip, chipLabel } from "~/lib/minutes-schema";

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

/** The minutes' chip node, drawn in the editor from `titles` rather than from the document. */
export function liveChip(titles: ChipTitles) {
  return ActionItemChip.extend({
    addNodeView() {
      return ({ node: first }) => {
        let node = first;
        const dom = document.createElement("span");
        dom.className = "action-chip";
        dom.contentEditable = "false";
        const paint = () => {
          const id = (node.attrs.id as string | null) ?? null;
          const { text, restricted } = titles.label(id, node.attrs.ref);
          dom.setAttribute("data-action-item", id ?? "");
          if (node.attrs.ref != null) dom.setAttribute("data-ref", String(node.attrs.ref));
          dom.toggleAttribute("data-restricted", restricted);
          dom.textContent = text;
        };
        paint();
        const unsubscribe = titles.subscribe(paint);
        return {
          dom,
          update(next) {
            if (next.type !== node.type) return false;
            node = next;
            paint();
            return true;
          },
          ignoreMutation: () => true,
          destroy: unsubscribe,
        };
      };
    },
  });
}

/** The editor's extensions with the minutes' chip node replaced by the live one. */
export function withLiveChips<T extends { name: string }>(extensions: T[], titles: ChipTitles): Array<T | ReturnType<typeof liveChip>> {
  return extensions.map((e) => (e.name === ActionItemChip.name ? liveChip(titles) : e));
}
