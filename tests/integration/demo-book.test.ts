import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { meetings } from "#db/schema";
import { db } from "~/lib/db.server";
import { getAgendaPage } from "~/models/agenda/page.server";
import { meetingBook } from "~/models/papers/book.server";
import { openPaper } from "~/models/papers/papers.server";
import { participantsPdf } from "~/models/participants/document.server";
import { getParticipantsPage } from "~/models/participants/participants.server";
import { search } from "~/models/search/search.server";

describe("the demo's meeting book", () => {
  it("has papers under three markings on the upcoming meeting, lists of participants, and a published list with the roll for the last meeting held", async () => {
    const { seedDemo } = await import("~/server/demo/index");
    const { accounts } = await seedDemo();
    const as = (email: string) => ({ id: accounts.userIds[email], name: email, email });
    const list = await db().select().from(meetings).where(eq(meetings.bodyId, accounts.trilateral.body.id)).orderBy(asc(meetings.startsAt));
    const upcoming = list.find((m) => m.status !== "held" && m.status !== "cancelled")!;
    const lastHeld = [...list].reverse().find((m) => m.status === "held")!;

    const forKorea = await getAgendaPage({ actor: as("kr.delegate@concord.test"), meetingId: upcoming.id });
    const forUs = await getAgendaPage({ actor: as("us.delegate@concord.test"), meetingId: upcoming.id });
    expect(forUs.papers.map((p) => p.marking).sort()).toEqual(["TLP:AMBER", "TLP:AMBER+STRICT", "TLP:GREEN"]);
    expect(forKorea.papers.map((p) => p.marking).sort()).toEqual(["TLP:AMBER", "TLP:GREEN"]);
    expect(forUs.papers.every((p) => /^TCCB\/\d+\/INF\.\d$/.test(p.symbol))).toBe(true);
    const book = await meetingBook({ actor: as("kr.delegate@concord.test"), meetingId: upcoming.id, locale: "en" });
    expect(book.papers.length).toBe(2);
    const amber = forKorea.papers.find((p) => p.marking === "TLP:AMBER")!;
    expect((await openPaper({ actor: as("jp.delegate@concord.test"), paperId: amber.id })).file.size).toBeGreaterThan(0);
    expect((await search({ actor: as("kr.delegate@concord.test"), input: { q: "OTC brokers" } })).hits.papers.map((h) => h.id)).toEqual([amber.id]);

    const lists = await getParticipantsPage({ actor: as("secretariat@concord.test"), meetingId: upcoming.id });
    const submitted = (code: string) => lists.submissions.find((s) => s.delegationId === accounts.trilateral.delegationIds[code as "US"])!.at !== null;
    expect([submitted("US"), submitted("JP"), submitted("KR")]).toEqual([true, true, false]);
    expect(lists.published).toBeNull();
    const held = await getParticipantsPage({ actor: as("kr.official@concord.test"), meetingId: lastHeld.id });
    expect(held.published?.symbol).toMatch(/^TCCB\/\d+\/INF\.1$/);
    expect(held.entries.every((e) => e.attendance !== null)).toBe(true);
    expect((await participantsPdf({ actor: as("kr.official@concord.test"), meetingId: lastHeld.id, locale: "ko" })).content.length).toBeGreaterThan(1000);
  });
});
