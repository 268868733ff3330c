import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { createCast, createMember } from "#tests/factories";
import { shutdownCollab, withDocument } from "~/server/collab.server";
import { MINUTES_FIELD } from "~/lib/minutes-schema";
import { createAction } from "~/models/actions/actions.server";
import { proposeItem } from "~/models/agenda/agenda.server";
import { createMeeting } from "~/models/meetings/meetings.server";
import { getMinutesPage } from "~/models/minutes/minutes.server";
import { search } from "~/models/search/search.server";

type Cast = Awaited<ReturnType<typeof createCast>>;
let cast: Cast;
let meetingId: string;
let otherMeetingId: string;

/** Writes into a meeting's minutes as an editor would; closing the connection stores (and numbers decisions). */
async function write(meetingId: string, blocks: Array<["paragraph" | "decision", string]>) {
  await withDocument(meetingId, (doc) => {
    for (const [type, words] of blocks) {
      const element = new Y.XmlElement(type);
      element.insert(0, [new Y.XmlText(words)]);
      doc.getXmlFragment(MINUTES_FIELD).push([element]);
    }
  });
}

beforeAll(async () => {
  cast = await createCast();
  const year = new Date().getUTCFullYear() + 1;
  const meeting = await createMeeting({
    actor: cast.secretariat.actor,
    input: { bodyId: cast.body.body.id, ordinal: "7", date: `${year}-04-14`, time: "09:00", endTime: "11:00", timeZone: "Asia/Seoul", format: "virtual" },
  });
  meetingId = meeting.id;
  await proposeItem({
    actor: cast.delegate.actor,
    input: { meetingId, title: "Ransomware attribution", description: "<p>Joint work with <strong>R&amp;D</strong> partners on 暗号資産 laundering</p>", kind: "discussion", minutes: "20", marking: "TLP:AMBER" },
  });
  await getMinutesPage({ actor: cast.secretariat.actor, meetingId });
  await write(meetingId, [
    ["paragraph", "The delegations reviewed the phishing campaign against defence contractors."],
    ["decision", "Publish a joint advisory on the phishing campaign."],
  ]);
  await createAction({
    actor: cast.delegate.actor,
    input: { bodyId: cast.body.body.id, title: "Share phishing indicators", ownerDelegationId: cast.body.delegations.US.id, dueKind: "next_meeting", marking: "TLP:GREEN", originMeetingId: meetingId },
  });

  // The same words in a body the cast's members do not belong to.
  const outsider = cast.outsider;
  const other = await createMeeting({
    actor: outsider.actor,
    input: { bodyId: cast.other.body.id, ordinal: "1", date: `${year}-05-01`, time: "09:00", endTime: "10:00", timeZone: "America/New_York", format: "virtual" },
  });
  otherMeetingId = other.id;
  const otherDelegate = await createMember(cast.other, "delegate", "US");
  await proposeItem({ actor: otherDelegate.actor, input: { meetingId: otherMeetingId, title: "Ransomware attribution (other body)", kind: "discussion", minutes: "10", marking: "TLP:RED" } });
  await getMinutesPage({ actor: outsider.actor, meetingId: otherMeetingId });
  await write(otherMeetingId, [["decision", "Secret phishing decision of another body."]]);
  await createAction({
    actor: otherDelegate.actor,
    input: { bodyId: cast.other.body.id, title: "Secret phishing follow-up", ownerDelegationId: cast.other.delegations.US.id, dueKind: "next_meeting", marking: "TLP:RED" },
  });
});

afterAll(async () => {
  await shutdownCollab();
});

const find = (who: keyof Pick<Cast, "official" | "delegate" | "outsider">, q: string, kind?: string) => search({ actor: cast[who].actor, input: { q, kind } });

describe("search", () => {
  it("finds agenda items, minutes text, decisions and action items with every word typed", async () => {
    const result = await find("official", "phishing campaign");
    expect(result.hits.minutes.map((h) => h.id)).toEqual([meetingId]);
    expect(result.hits.minutes[0].snippet.match.toLowerCase()).toBe("phishing");
    expect(result.hits.decisions.map((h) => h.ref)).toEqual([1]);
    expect(result.hits.decisions[0].href).toBe(`/meetings/${meetingId}/minutes#decision-1`);
    expect(result.hits.actions).toEqual([]); // "campaign" is not in the action item
    expect((await find("official", "phishing")).hits.actions.map((h) => h.title)).toEqual(["Share phishing indicators"]);
  });

  it("matches the words of rich text, not its markup, in any of the three languages", async () => {
    expect((await find("delegate", "R&D")).hits.agenda.map((h) => h.title)).toEqual(["Ransomware attribution"]);
    expect((await find("delegate", "暗号資産")).hits.agenda.map((h) => h.title)).toEqual(["Ransomware attribution"]);
    expect((await find("delegate", "strong")).hits.agenda).toEqual([]);
    expect((await find("delegate", '"attribution ransomware"')).hits.agenda).toEqual([]);
    expect((await find("delegate", "RANSOMWARE")).hits.agenda.map((h) => h.title)).toEqual(["Ransomware attribution"]);
  });

  it("takes % and _ literally, finds by number, and narrows to one kind", async () => {
    expect((await find("delegate", "%")).hits.agenda).toEqual([]);
    expect((await find("delegate", "D1")).hits.decisions.map((h) => h.ref)).toEqual([1]);
    const only = await find("delegate", "phishing", "decisions");
    expect(only.hits.decisions).toHaveLength(1);
    expect(only.hits.minutes).toEqual([]);
    expect((await find("delegate", "   ")).hits).toEqual({ agenda: [], minutes: [], decisions: [], actions: [], outcomes: [], papers: [] });
  });

  it("never shows what belongs to a body the user is not a member of", async () => {
    const mine = await find("official", "secret");
    expect(Object.values(mine.hits).flat()).toEqual([]);
    const ransomware = await find("official", "ransomware");
    expect(ransomware.hits.agenda.map((h) => h.title)).toEqual(["Ransomware attribution"]);
    // The other body's member sees only their own body's hits.
    const theirs = await find("outsider", "phishing");
    expect(theirs.hits.decisions.map((h) => h.body.slug)).toEqual([cast.other.body.slug]);
    expect(theirs.hits.actions.map((h) => h.title)).toEqual(["Secret phishing follow-up"]);
    expect(theirs.hits.minutes.map((h) => h.id)).toEqual([otherMeetingId]);
  });
});

describe("search words and limits", () => {
  it("answers a 1,500-character query with a field error, not a failure", async () => {
    const result = await search({ actor: cast.delegate.actor, input: { q: "sanctions ".repeat(150) } });
    expect(result.error).toEqual({ key: "search:errors.tooLong", values: { max: 200 } });
    expect(result.terms).toEqual([]);
  });

  it("matches Latin words at their beginnings: 'AI' does not find 'cross-chain', 'ransom' finds 'Ransomware'", async () => {
    await proposeItem({
      actor: cast.delegate.actor,
      input: { meetingId, title: "Cross-chain bridge monitoring", description: "", kind: "discussion", minutes: "10", marking: "TLP:GREEN" },
    });
    const ai = await search({ actor: cast.delegate.actor, input: { q: "AI" } });
    expect(ai.hits.agenda.map((h) => h.title)).not.toContain("Cross-chain bridge monitoring");
    const ransom = await search({ actor: cast.delegate.actor, input: { q: "ransom" } });
    expect(ransom.hits.agenda.map((h) => h.title)).toContain("Ransomware attribution");
    expect(ransom.terms).toEqual(["ransom"]);
  });
});

describe("long titles in results", () => {
  it("shows a long title shortened as lists do, and when what matched was cut away, the passage from the title", async () => {
    const filler = "Coordinated disclosure of vulnerabilities in maritime logistics software, ".repeat(3);
    const title = `${filler}with notes on the axolotl botnet`.slice(0, 300);
    expect(title.length).toBeGreaterThan(250);
    await proposeItem({ actor: cast.delegate.actor, input: { meetingId, title, description: "<p>Nothing of that name here.</p>", kind: "discussion", minutes: "10", marking: "TLP:GREEN" } });
    await createAction({
      actor: cast.delegate.actor,
      input: { bodyId: cast.body.body.id, title, ownerDelegationId: cast.body.delegations.US.id, dueKind: "next_meeting", marking: "TLP:GREEN", originMeetingId: meetingId },
    });
    const result = await search({ actor: cast.delegate.actor, input: { q: "axolotl" } });
    for (const hit of [result.hits.agenda[0], result.hits.actions[0]]) {
      expect(hit.shortened).toBe(true);
      expect(hit.title.endsWith("…")).toBe(true);
      expect(hit.title.length).toBeLessThan(title.length);
      expect(title.startsWith(hit.title.slice(0, -1))).toBe(true);
      // The title's shown part does not hold the word: the passage shows it.
      expect(hit.title).not.toContain("axolotl");
      expect(hit.snippet.match.toLowerCase()).toBe("axolotl");
    }
    // A word in the part shown: the passage stays the text's, and a short title is whole.
    const maritime = await search({ actor: cast.delegate.actor, input: { q: "maritime" } });
    const shown = maritime.hits.agenda.find((h) => h.title.startsWith("Coordinated"))!;
    expect(shown.shortened).toBe(true);
    expect(shown.snippet.match).toBe("");
    const ransom = await search({ actor: cast.delegate.actor, input: { q: "ransomware" } });
    expect(ransom.hits.agenda.find((h) => h.title === "Ransomware attribution")?.shortened).toBe(false);
  });
});
