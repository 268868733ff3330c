import * as Y from "yjs";

/**
 * Elements of a live document that clients may not change by typing (for the minutes: the
 * section headings that come from the agenda). The editor already refuses such edits; this
 * check is for a raw client, which bypasses the editor. It reads the incoming update without
 * applying it: an update breaks a protected element when it deletes the element or anything
 * inside it, inserts into it (its text, its children, its attributes), or anchors new
 * content to a character inside it (which is how a split or a merge arrives).
 */

type Ranges = Map<number, Array<[number, number]>>;

interface Item {
  id: Y.ID;
  length: number;
  deleted: boolean;
  left: Item | null;
  right: Item | null;
  content: { type?: unknown };
  parentSub: string | null;
}

const add = (ranges: Ranges, item: Item) => {
  let list = ranges.get(item.id.client);
  if (!list) ranges.set(item.id.client, (list = []));
  list.push([item.id.clock, item.id.clock + item.length]);
};

const within = (ranges: Ranges, id: Y.ID | null | undefined) => !!id && (ranges.get(id.client) ?? []).some(([from, to]) => id.clock >= from && id.clock < to);

const overlaps = (ranges: Ranges, client: number, clock: number, len: number) => (ranges.get(client) ?? []).some(([from, to]) => clock < to && clock + len > from);

/** Every item of a type's content and attributes (deleted ones too: they can be anchors). */
function collect(type: unknown, into: Ranges): void {
  const internal = type as unknown as { _start: Item | null; _map: Map<string, Item> };
  for (let item = internal._start; item; item = item.right) {
    add(into, item);
    if (item.content.type) collect(item.content.type, into);
  }
  for (const last of internal._map.values()) {
    for (let item: Item | null = last; item; item = item.left) {
      add(into, item);
      if (item.content.type) collect(item.content.type, into);
    }
  }
}

export interface ProtectedSet {
  /** The protected elements themselves: they may not be deleted or become anyone's parent. */
  elements: Ranges;
  /** Everything inside them: not deleted, not a parent, not an anchor. */
  inside: Ranges;
  /**
   * Attributes only the server writes (for the minutes: `agendaItemId`, which makes a heading
   * an agenda heading). A client that sets one is forging a protected element: a heading for
   * an item that is not the meeting's, or a second one for an item that has its heading.
   */
  serverAttributes: string[];
}

/** The protected elements among `root`'s children (protected elements are top-level blocks; one pass per update). */
export function protectedSet(root: Y.XmlFragment, isProtected: (element: Y.XmlElement) => boolean, serverAttributes: string[] = []): ProtectedSet {
  const elements: Ranges = new Map();
  const inside: Ranges = new Map();
  for (let item = (root as unknown as { _start: Item | null })._start; item; item = item.right) {
    const node = item.content.type;
    if (item.deleted || !(node instanceof Y.XmlElement) || !isProtected(node)) continue;
    add(elements, item);
    collect(node, inside);
  }
  return { elements, inside, serverAttributes };
}

/** True when applying `update` would change a protected element. */
export function breaksProtected(update: Uint8Array, set: ProtectedSet): boolean {
  if (!set.elements.size && !set.serverAttributes.length) return false;
  const { structs, ds } = Y.decodeUpdate(update) as unknown as {
    structs: Array<{ id: Y.ID; origin?: Y.ID | null; rightOrigin?: Y.ID | null; parent?: unknown; parentSub?: string | null }>;
    ds: { clients: Map<number, Array<{ clock: number; len: number }>> };
  };
  if (structs.some((struct) => struct.parentSub && set.serverAttributes.includes(struct.parentSub))) return true;
  for (const [client, deletions] of ds.clients) {
    for (const { clock, len } of deletions) {
      if (overlaps(set.elements, client, clock, len) || overlaps(set.inside, client, clock, len)) return true;
    }
  }
  for (const struct of structs) {
    const parent = struct.parent && typeof struct.parent === "object" && "client" in (struct.parent as object) ? (struct.parent as Y.ID) : null;
    if (within(set.elements, parent) || within(set.inside, parent)) return true;
    if (within(set.inside, struct.origin) || within(set.inside, struct.rightOrigin)) return true;
  }
  return false;
}

/** The protected elements of a document as they read: their attributes and content, in order. */
function protectedSignature(root: Y.XmlFragment, isProtected: (element: Y.XmlElement) => boolean): string {
  const found: string[] = [];
  for (const node of root.toArray()) if (node instanceof Y.XmlElement && isProtected(node)) found.push(`${JSON.stringify(node.getAttributes())}${node.toString()}`);
  return found.join("\u0001");
}

/**
 * The slow, exact check, for an update `breaksProtected` flagged: applied to a copy of the
 * document, does it change any protected element (delete, split, merge, retype, add one)? The
 * structural check can flag an update that only anchors beside a protected element without
 * changing it (concurrent Enters at the end of a section); such an update is not refused.
 */
export function changesProtected(document: Y.Doc, field: string, update: Uint8Array, isProtected: (element: Y.XmlElement) => boolean): boolean {
  const copy = new Y.Doc({ gc: false });
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(document));
  const before = protectedSignature(copy.getXmlFragment(field), isProtected);
  Y.applyUpdate(copy, update);
  const after = protectedSignature(copy.getXmlFragment(field), isProtected);
  copy.destroy();
  return before !== after;
}
