import * as Y from "yjs";
import { scanBrackets, withUpdate } from "../../app/lib/outcome-doc.server";
import { checkBracketChange } from "../../app/models/outcomes/bracket-rules.server";
import { ms, stats } from "./support";

/**
 * What the bracket rules cost on every keystroke of an outcome document (ADR 017): the server
 * copies the document, applies the update and scans brackets before and after. Measured on a
 * long statement (60 paragraphs, ~40 000 characters, 20 open brackets) typed into one
 * character at a time.
 */

const PARAGRAPHS = 60;
const KEYSTROKES = 500;

export async function benchOutcomes() {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment("default");
  const sentence = "The participants condemned the DPRK's theft of virtual assets and its laundering through mixers, bridges and over-the-counter brokers. ";
  for (let i = 0; i < PARAGRAPHS; i++) {
    const paragraph = new Y.XmlElement("paragraph");
    const text = new Y.XmlText(sentence.repeat(5));
    paragraph.insert(0, [text]);
    fragment.push([paragraph]);
    if (i % 3 === 0) text.format(17, 9, { bracket: { id: `b${i}`, owner: i % 2 ? "JP" : "KR", alternatives: ["strongly condemned"] } });
  }
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(doc));
  const times: number[] = [];
  for (let k = 0; k < KEYSTROKES; k++) {
    const vector = Y.encodeStateVector(client);
    const target = (fragment.length && (client.getXmlFragment("default").get(k % PARAGRAPHS) as Y.XmlElement).get(0)) as Y.XmlText;
    target.insert(200 + (k % 50), "x");
    const update = Y.encodeStateAsUpdate(client, vector);
    const started = performance.now();
    const before = scanBrackets(doc);
    const next = withUpdate(doc, update);
    const after = scanBrackets(next);
    next.destroy();
    const { refusal } = checkBracketChange({ before, after, sender: { code: "US", mayBracket: true }, known: new Set() });
    times.push(performance.now() - started);
    if (refusal) throw new Error(`refused: ${refusal}`);
    Y.applyUpdate(doc, update);
  }
  const s = stats(times);
  const chars = fragment.toArray().reduce((n, p) => n + ((p as Y.XmlElement).get(0) as Y.XmlText).length, 0);
  console.log(`  bracket check per keystroke, ${PARAGRAPHS} paragraphs (${chars} characters, ${scanBrackets(doc).brackets.size} brackets): median ${ms(s.median)}, p95 ${ms(s.p95)}, p99 ${ms(s.p99)} (${s.n} keystrokes)`);
}
