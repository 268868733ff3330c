import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { outcomeJsonToUpdate, scanBrackets, sourceParagraphs, withUpdate } from "~/lib/outcome-doc.server";
import { checkBracketChange } from "~/models/outcomes/bracket-rules.server";

const jp = { id: "b1", owner: "JP", alternatives: ["strongly condemned"] };
const json = {
  type: "doc",
  content: [
    { type: "heading", attrs: { level: 2, pid: "h" }, content: [{ type: "text", text: "Statement" }] },
    { type: "paragraph", attrs: { pid: "p" }, content: [{ type: "text", text: "They " }, { type: "text", text: "condemned", marks: [{ type: "bracket", attrs: jp }] }, { type: "text", text: " it." }] },
  ],
};

function docOf() {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, outcomeJsonToUpdate(json));
  return doc;
}

describe("outcome documents' text", () => {
  it("writes each bracket out as [text / alternative], one paragraph per block with its id and hash", () => {
    const paragraphs = sourceParagraphs(json);
    expect(paragraphs.map((p) => [p.id, p.type, p.text])).toEqual([
      ["h", "heading", "Statement"],
      ["p", "paragraph", "They [condemned / strongly condemned] it."],
    ]);
    expect(paragraphs[1].hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("finds brackets in the Yjs structure with their owner, words and paragraph", () => {
    const { brackets, problems } = scanBrackets(docOf());
    expect(problems).toEqual([]);
    expect(brackets.get("b1")).toMatchObject({ owner: "JP", text: "condemned", alternatives: ["strongly condemned"], block: 1 });
  });
});

describe("the bracket rules", () => {
  const change = (edit: (doc: Y.Doc) => void, sender: { code: string | null; mayBracket: boolean } = { code: "KR", mayBracket: true }) => {
    const doc = docOf();
    const client = new Y.Doc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(doc));
    const vector = Y.encodeStateVector(client);
    edit(client);
    const next = withUpdate(doc, Y.encodeStateAsUpdate(client, vector));
    return checkBracketChange({ before: scanBrackets(doc), after: scanBrackets(next), sender, known: new Set() }).refusal;
  };
  const text = (doc: Y.Doc) => (doc.getXmlFragment("default").get(1) as Y.XmlElement).get(0) as Y.XmlText;

  it("let anyone type outside a bracket", () => {
    expect(change((d) => text(d).insert(0, "Today "))).toBeNull();
  });

  it("refuse removing, rewriting or re-owning another delegation's bracket", () => {
    expect(change((d) => text(d).format(5, 9, { bracket: null }))).toBe("removed");
    expect(change((d) => text(d).delete(5, 3))).toBe("rewritten");
    expect(change((d) => text(d).format(5, 9, { bracket: { ...jp, owner: "KR" } }))).toBe("rewritten");
    expect(change((d) => d.getXmlFragment("default").delete(1, 1))).toBe("removed");
  });

  it("refuse a new bracket that is not the sender's own, or from someone who may not bracket", () => {
    expect(change((d) => text(d).format(0, 4, { bracket: { id: "b2", owner: "JP", alternatives: [] } }))).toBe("foreignOwner");
    expect(change((d) => text(d).format(0, 4, { bracket: { id: "b2", owner: "US", alternatives: [] } }), { code: null, mayBracket: false })).toBe("mayNotBracket");
    expect(change((d) => text(d).format(0, 4, { bracket: { id: "b2", owner: "KR", alternatives: [] } }))).toBeNull();
  });

  it("refuse a bracket across paragraphs", () => {
    expect(
      change((d) => {
        text(d).format(0, 4, { bracket: { id: "b3", owner: "KR", alternatives: [] } });
        ((d.getXmlFragment("default").get(0) as Y.XmlElement).get(0) as Y.XmlText).format(0, 4, { bracket: { id: "b3", owner: "KR", alternatives: [] } });
      }),
    ).toBe("boundary");
  });
});
