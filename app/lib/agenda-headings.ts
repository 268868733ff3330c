import * as Y from "yjs";
import { isAgendaHeading, MINUTES_FIELD } from "./minutes-schema";

/**
 * The agenda's section headings in a live minutes document, brought in line with the agenda
 * (issue 10): the server does this after an agenda change commits, as one more client. Only
 * what changed is touched, so the people typing keep their carets: a renamed or renumbered
 * heading gets its new text; a new item gets a heading and an empty paragraph where it goes;
 * a moved item's section (heading and notes) moves, and only the sections that must move do
 * (the longest run already in order stays); a withdrawn item's heading goes if nothing was
 * written under it, and otherwise stays as an ordinary heading (without its number) so the
 * notes are never lost.
 */

export interface AgendaHeading {
  agendaItemId: string;
  /** The heading's text, numbered: "3. Cyber threat briefing". */
  text: string;
}

interface Section {
  id: string;
  heading: Y.XmlElement;
  /** The heading and the blocks under it, up to the next agenda heading. */
  blocks: Y.XmlElement[];
}

function sectionsOf(fragment: Y.XmlFragment): Section[] {
  const sections: Section[] = [];
  for (const node of fragment.toArray()) {
    if (node instanceof Y.XmlElement && isAgendaHeading(node)) sections.push({ id: String(node.getAttribute("agendaItemId")), heading: node, blocks: [node] });
    else if (sections.length && node instanceof Y.XmlElement) sections.at(-1)!.blocks.push(node);
  }
  return sections;
}

const indexOf = (fragment: Y.XmlFragment, node: Y.XmlElement) => fragment.toArray().indexOf(node);

const textOf = (element: Y.XmlElement) =>
  element
    .toArray()
    .map((child) => (child instanceof Y.XmlText ? child.toString().replace(/<[^>]*>/g, "") : ""))
    .join("");

function setText(element: Y.XmlElement, text: string): void {
  const children = element.toArray();
  const first = children[0];
  if (children.length === 1 && first instanceof Y.XmlText) {
    first.delete(0, first.length);
    first.insert(0, text);
    return;
  }
  element.delete(0, element.length);
  const fresh = new Y.XmlText();
  fresh.insert(0, text);
  element.insert(0, [fresh]);
}

/** Nothing written under it: only empty paragraphs. */
const isEmptySection = (section: Section) => section.blocks.slice(1).every((b) => b.nodeName === "paragraph" && textOf(b).trim() === "" && b.length <= 1);

function newSection(heading: AgendaHeading): Y.XmlElement[] {
  const element = new Y.XmlElement("heading");
  element.setAttribute("level", 2 as unknown as string);
  element.setAttribute("agendaItemId", heading.agendaItemId);
  const text = new Y.XmlText();
  text.insert(0, heading.text);
  element.insert(0, [text]);
  return [element, new Y.XmlElement("paragraph")];
}

/** Indices (into `values`) of one longest strictly increasing subsequence. */
function longestIncreasing(values: number[]): Set<number> {
  const tails: number[] = [];
  const previous: number[] = new Array(values.length).fill(-1);
  for (let i = 0; i < values.length; i++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[tails[mid]] < values[i]) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[i] = tails[lo - 1];
    tails[lo] = i;
  }
  const keep = new Set<number>();
  for (let i = tails.at(-1) ?? -1; i >= 0; i = previous[i]) keep.add(i);
  return keep;
}

/** Brings the document's agenda headings in line with `desired` (in agenda order); true when anything changed. */
export function applyAgendaHeadings(doc: Y.Doc, desired: AgendaHeading[], origin: unknown = "server"): boolean {
  const fragment = doc.getXmlFragment(MINUTES_FIELD);
  const wanted = new Map(desired.map((h, i) => [h.agendaItemId, i]));
  let changed = false;
  doc.transact(() => {
    // 1. Withdrawn or removed items; a second heading for the same item loses its protection too.
    const seen = new Set<string>();
    for (const section of sectionsOf(fragment)) {
      if (wanted.has(section.id) && !seen.has(section.id)) {
        seen.add(section.id);
        continue;
      }
      changed = true;
      if (isEmptySection(section)) {
        fragment.delete(indexOf(fragment, section.heading), section.blocks.length);
      } else {
        section.heading.removeAttribute("agendaItemId");
        setText(section.heading, textOf(section.heading).replace(/^\d+\.\s*/, ""));
      }
    }

    // 2. Order: the longest run already in agenda order stays; every other section moves.
    const present = sectionsOf(fragment);
    const keep = longestIncreasing(present.map((s) => wanted.get(s.id)!));
    const placed = new Set(present.filter((_, i) => keep.has(i)).map((s) => s.id));
    const insertAt = (position: number) => {
      // Before the heading of the next item (in agenda order) already in place; else at the end.
      for (let next = position + 1; next < desired.length; next++) {
        if (!placed.has(desired[next].agendaItemId)) continue;
        const section = sectionsOf(fragment).find((s) => s.id === desired[next].agendaItemId);
        if (section) return indexOf(fragment, section.heading);
      }
      return fragment.length;
    };
    for (const [position, heading] of desired.entries()) {
      if (placed.has(heading.agendaItemId)) continue;
      const existing = sectionsOf(fragment).find((s) => s.id === heading.agendaItemId);
      let blocks: Y.XmlElement[];
      if (existing) {
        blocks = existing.blocks.map((b) => b.clone());
        fragment.delete(indexOf(fragment, existing.heading), existing.blocks.length);
      } else blocks = newSection(heading);
      fragment.insert(insertAt(position), blocks);
      placed.add(heading.agendaItemId);
      changed = true;
    }

    // 3. Titles and numbers.
    for (const section of sectionsOf(fragment)) {
      const text = desired[wanted.get(section.id)!].text;
      if (textOf(section.heading) !== text) {
        setText(section.heading, text);
        changed = true;
      }
    }
  }, origin);
  return changed;
}
