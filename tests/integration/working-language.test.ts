import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, bodies } from "#db/schema";
import { createCast, createMember } from "#tests/factories";
import { db } from "~/lib/db.server";
import { ForbiddenError } from "~/lib/errors";
import { getAgenda } from "~/models/agenda/agenda.server";
import { createMeeting } from "~/models/meetings/meetings.server";
import { initialMinutesContent } from "~/models/minutes/content.server";
import { buildMinutesDocument } from "~/models/minutes/export.server";
import { addParticipant, takeRoll } from "~/models/participants/participants.server";
import { setWorkingLanguage } from "~/models/people/bodies.server";

const NOW = new Date("2027-01-10T12:00:00Z");

async function meetingOf(cast: Awaited<ReturnType<typeof createCast>>) {
  return createMeeting({
    actor: cast.secretariat.actor,
    now: NOW,
    input: { bodyId: cast.body.body.id, ordinal: "4", date: "2027-03-09", time: "19:00", endTime: "21:00", timeZone: "America/New_York", format: "virtual" },
  });
}

const text = (node: unknown): string => JSON.stringify(node);

describe("a body's working language", () => {
  it("is set by the secretariat only, validated and audited with before and after", async () => {
    const cast = await createCast();
    const bodyId = cast.body.body.id;
    await expect(setWorkingLanguage({ actor: cast.head.actor, input: { bodyId, workingLanguage: "ja" } })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(setWorkingLanguage({ actor: cast.secretariat.actor, input: { bodyId, workingLanguage: "fr" } })).rejects.toMatchObject({ fieldErrors: { workingLanguage: [{ key: "errors:validation.choice" }] } });
    await setWorkingLanguage({ actor: cast.secretariat.actor, input: { bodyId, workingLanguage: "ja" } });
    const [body] = await db().select({ workingLanguage: bodies.workingLanguage }).from(bodies).where(eq(bodies.id, bodyId));
    expect(body.workingLanguage).toBe("ja");
    const events = await db().select().from(auditEvents).where(and(eq(auditEvents.bodyId, bodyId), eq(auditEvents.action, "body.workingLanguage")));
    expect(events.map((e) => [e.actorId, e.before, e.after])).toEqual([[cast.secretariat.user.id, { workingLanguage: "en" }, { workingLanguage: "ja" }]]);
  });

  it("writes the minutes scaffold, the roll and the fixed agenda items in it, whoever opens them", async () => {
    const cast = await createCast();
    await setWorkingLanguage({ actor: cast.secretariat.actor, input: { bodyId: cast.body.body.id, workingLanguage: "ko" } });
    const meeting = await meetingOf(cast);
    // An English-speaking delegate is the first to open the agenda: its fixed items are stored in Korean.
    const agenda = await getAgenda({ actor: cast.delegate.actor, meetingId: meeting.id });
    expect(agenda.items.filter((i) => i.special).map((i) => i.title)).toEqual(["전차 회의 회의록 채택", "조치 사항 검토"]);
    const head = await addParticipant({ actor: cast.head.actor, input: { meetingId: meeting.id, delegationId: cast.body.delegations.US.id, userId: cast.head.user.id, role: "head" } });
    await takeRoll({ actor: cast.secretariat.actor, input: { meetingId: meeting.id, attendance: { [head.id]: "remote" } } });
    const content = text(await initialMinutesContent(meeting.id));
    expect(content).toContain('"참석자"');
    expect(content).toContain(`${cast.head.user.name} (US, 대표단장) — 원격 참석`);
    expect(content).toContain("1. 전차 회의 회의록 채택");
    expect(content).not.toContain("Attendance");
    expect(content).not.toContain("Head of delegation");
  });

  it("labels decisions in an exported record in the working language, while the rest follows the reader", async () => {
    const cast = await createCast();
    await setWorkingLanguage({ actor: cast.secretariat.actor, input: { bodyId: cast.body.body.id, workingLanguage: "ja" } });
    const meeting = await meetingOf(cast);
    const json = { type: "doc", content: [{ type: "decision", attrs: { number: 7 }, content: [{ type: "text", text: "会合は合意した。" }] }] };
    const { doc } = await buildMinutesDocument(meeting, json, "en", { kind: "current" });
    expect(text(doc.blocks[0])).toContain("決定 7: ");
    expect(doc.title).toMatch(/^Minutes/);
  });

  it("leaves a body in English until the secretariat chooses otherwise", async () => {
    const cast = await createCast();
    await createMember(cast.body, "head", "JP");
    const meeting = await meetingOf(cast);
    expect(text(await initialMinutesContent(meeting.id))).toContain('"Attendance"');
  });
});
