import { ActionItemChip } from "~/lib/minutes-schema";
import { paintChip, type ChipTitles } from "~/components/minutes/chip-titles.client";

export { ChipTitles, type ChipData } from "~/components/minutes/chip-titles.client";

/** The minutes' chip node, drawn in the editor from `titles` rather than from the document. */
export function liveChip(titles: ChipTitles) {
  return ActionItemChip.extend({
    addNodeView() {
      return ({ node: first }) => {
        let node = first;
        const dom = document.createElement("span");
        dom.className = "action-chip";
        dom.contentEditable = "false";
        const paint = () => paintChip(dom, titles, (node.attrs.id as string | null) ?? null, node.attrs.ref);
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
