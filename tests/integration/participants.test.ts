import { describe, expect, it } from "vitest";
import { PDFParse } from "pdf-parse";
import { cookieFor, createCast, createMember } from "#tests/factories";
import { context, get, respond } from "#tests/support/requests";
import * as participantsPdfRoute from "~/routes/meetings.$meetingId.participants[.]pdf";
import { ForbiddenError, NotFoundError } from "~/lib/errors";
import { createMeeting } from "~/models/meetings/meetings.server";
import { sendInvitations, respondToInvitation } from "~/models/meetings/invitations.server";
import { initialMinutesContent } from "~/models/minutes/content.server";
import { addParticipant, attendanceForMinutes, awaitedParticipantLists, getParticipantsPage, publishList, submitList, takeRoll } from "~/models/participants/participants.server";

const NOW = new Date("2027-01-10T12:00:00Z");

async function setUp() {
  const cast = await createCast();
  const jpHead = await createMember(cast.body, "head", "JP");
  const meeting = await createMeeting({
    actor: cast.secretariat.actor,
    now: NOW,
    input: { bodyId: cast.body.body.id, ordinal: "3", date: "2027-03-09", time: "19:00", endTime: "21:00", timeZone: "America/New_York", format: "virtual" },
  });
  return { cast, jpHead, meeting };
}

const text = (node: unknown): string => JSON.stringify(node);

async function pdfText(bytes: Uint8Array): Promise<string> {
  const parser = new PDFParse({ data: bytes });
  const { text: words } = await parser.getText();
  await parser.destroy();
  return words;
}

describe("lists of participants", () => {
  it("lets a head keep only their own delegation's list, and submit it", async () => {
    const { cast, jpHead, meeting } = await setUp();
    const us = cast.body.delegations.US.id;
    await addParticipant({ actor: cast.head.actor, input: { meetingId: meeting.id, delegationId: us, userId: cast.delegate.user.id, role: "alternate" } });
    await addParticipant({ actor: cast.head.actor, input: { meetingId: meeting.id, delegationId: us, name: "Dana Expert", title: "Analyst", agency: "Treasury", role: "expert" } });
    await expect(addParticipant({ actor: jpHead.actor, input: { meetingId: meeting.id, delegationId: us, name: "Intruder", role: "expert" } })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(addParticipant({ actor: cast.delegate.actor, input: { meetingId: meeting.id, delegationId: us, name: "Self", role: "expert" } })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(addParticipant({ actor: cast.head.actor, input: { meetingId: meeting.id, delegationId: us, userId: jpHead.user.id, role: "expert" } })).rejects.toMatchObject({ fieldErrors: { userId: [{ key: "participants:errors.notMember" }] } });
    await submitList({ actor: cast.head.actor, input: { meetingId: meeting.id, delegationId: us } });
    const page = await getParticipantsPage({ actor: cast.official.actor, meetingId: meeting.id });
    expect(page.entries.map((e) => e.name)).toEqual([cast.delegate.user.name, "Dana Expert"]);
    expect(page.submissions.find((s) => s.delegationId === us)?.at).not.toBeNull();
    expect(page.can.edit(us)).toBe(false);
  });

  it("answers an outsider 404 before looking at the rest of their input", async () => {
    const { cast, meeting } = await setUp();
    const us = cast.body.delegations.US.id;
    await expect(submitList({ actor: cast.outsider.actor, input: { meetingId: meeting.id } })).rejects.toBeInstanceOf(NotFoundError);
    await expect(addParticipant({ actor: cast.outsider.actor, input: { meetingId: meeting.id, delegationId: us } })).rejects.toBeInstanceOf(NotFoundError);
    await expect(takeRoll({ actor: cast.outsider.actor, input: { meetingId: meeting.id, attendance: { x: "nonsense" } } })).rejects.toBeInstanceOf(NotFoundError);
    await expect(submitList({ actor: cast.head.actor, input: { meetingId: meeting.id } })).rejects.toMatchObject({ fieldErrors: { delegationId: expect.anything() } });
  });

  it("is published by the secretariat as an INF document with its symbol, a revision when published again", async () => {
    const { cast, meeting } = await setUp();
    await expect(publishList({ actor: cast.secretariat.actor, input: { meetingId: meeting.id } })).rejects.toMatchObject({ fieldErrors: { "": [{ key: "participants:errors.empty" }] } });
    await addParticipant({ actor: cast.head.actor, input: { meetingId: meeting.id, delegationId: cast.body.delegations.US.id, userId: cast.head.user.id, role: "head" } });
    await expect(publishList({ actor: cast.head.actor, input: { meetingId: meeting.id } })).rejects.toBeInstanceOf(ForbiddenError);
    await publishList({ actor: cast.secretariat.actor, input: { meetingId: meeting.id } });
    expect((await getParticipantsPage({ actor: cast.official.actor, meetingId: meeting.id })).published?.symbol).toMatch(/\/3\/INF\.1$/);
    await publishList({ actor: cast.secretariat.actor, input: { meetingId: meeting.id } });
    expect((await getParticipantsPage({ actor: cast.official.actor, meetingId: meeting.id })).published?.symbol).toMatch(/\/3\/INF\.1\/Rev\.1$/);
  });

  it("offers the published list as a PDF: the INF document with its symbol, in the reader's language, 404 until published", async () => {
    const { cast, jpHead, meeting } = await setUp();
    const pdfFor = async (userId: string, language = "en") => {
      const request = get(`/meetings/${meeting.id}/participants.pdf`, await cookieFor(userId), { "accept-language": language });
      return respond(() => participantsPdfRoute.loader({ request, params: { meetingId: meeting.id }, context }));
    };
    await addParticipant({ actor: cast.head.actor, input: { meetingId: meeting.id, delegationId: cast.body.delegations.US.id, name: "Dana Expert", title: "Senior analyst", agency: "Treasury", role: "expert" } });
    await addParticipant({ actor: jpHead.actor, input: { meetingId: meeting.id, delegationId: cast.body.delegations.JP.id, name: "山田 太郎", title: "課長", agency: "警察庁", role: "head" } });
    expect((await pdfFor(cast.official.user.id)).status).toBe(404);
    const { symbol } = await publishList({ actor: cast.secretariat.actor, input: { meetingId: meeting.id } }).then(async () => (await getParticipantsPage({ actor: cast.official.actor, meetingId: meeting.id })).published!);
    // Edited after publication: the document is the published copy.
    await addParticipant({ actor: cast.head.actor, input: { meetingId: meeting.id, delegationId: cast.body.delegations.US.id, name: "Late Addition", role: "adviser" } });

    const response = await pdfFor(cast.official.user.id);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("content-disposition")).toMatch(/INF\.\d+-participants\.pdf"$/);
    const text = await pdfText(new Uint8Array(await response.arrayBuffer()));
    expect(text).toContain(symbol);
    expect(text).toContain("List of participants");
    expect(text).toContain("Dana Expert");
    expect(text).toContain("Treasury");
    expect(text).toMatch(/Head of\s+delegation/);
    expect(text).toContain("山田 太郎");
    expect(text).not.toContain("Late Addition");
    expect(text).toContain("TLP:GREEN");

    const ja = await pdfText(new Uint8Array(await (await pdfFor(jpHead.user.id, "ja")).arrayBuffer()));
    expect(ja).toContain("参加者");
    expect((await pdfFor(cast.outsider.user.id)).status).toBe(404);
  });

  it("writes the new minutes' attendance from the roll, not from the invitation answers", async () => {
    const { cast, jpHead, meeting } = await setUp();
    await sendInvitations({ actor: cast.secretariat.actor, now: NOW, input: { meetingId: meeting.id, delegationIds: Object.values(cast.body.delegations).map((d) => d.id), confirmNoLink: "on" } });
    // The official accepted the invitation but is not on any list: they must not appear.
    await respondToInvitation({ actor: cast.official.actor, input: { meetingId: meeting.id, response: "accepted" } });
    const head = await addParticipant({ actor: cast.head.actor, input: { meetingId: meeting.id, delegationId: cast.body.delegations.US.id, userId: cast.head.user.id, role: "head" } });
    const jp = await addParticipant({ actor: jpHead.actor, input: { meetingId: meeting.id, delegationId: cast.body.delegations.JP.id, userId: jpHead.user.id, role: "head" } });
    const expert = await addParticipant({ actor: jpHead.actor, input: { meetingId: meeting.id, delegationId: cast.body.delegations.JP.id, name: "Kenji Expert", role: "expert" } });
    expect(text(await initialMinutesContent(meeting.id))).not.toContain(cast.official.user.name);

    await expect(takeRoll({ actor: cast.head.actor, input: { meetingId: meeting.id, attendance: { [head.id]: "present" } } })).rejects.toBeInstanceOf(ForbiddenError);
    await takeRoll({ actor: cast.secretariat.actor, input: { meetingId: meeting.id, attendance: { [head.id]: "present", [jp.id]: "remote", [expert.id]: "absent" } } });
    expect((await attendanceForMinutes(meeting.id)).map((a) => [a.name, a.attendance])).toEqual([
      [cast.head.user.name, "present"],
      [jpHead.user.name, "remote"],
      ["Kenji Expert", "absent"],
    ]);
    const content = text(await initialMinutesContent(meeting.id));
    expect(content).toContain(`${cast.head.user.name} (US, Head of delegation)`);
    expect(content).toContain(`${jpHead.user.name} (JP, Head of delegation) — remote`);
    expect(content).toContain("Kenji Expert (JP, Expert) — absent");
    expect(content).not.toContain(cast.official.user.name);
  });

  it("tells a head which lists of participants are awaited from them", async () => {
    const { cast, jpHead, meeting } = await setUp();
    expect((await awaitedParticipantLists({ actor: jpHead.actor, now: NOW })).map((m) => m.meetingId)).toContain(meeting.id);
    await submitList({ actor: jpHead.actor, input: { meetingId: meeting.id, delegationId: cast.body.delegations.JP.id } });
    expect((await awaitedParticipantLists({ actor: jpHead.actor, now: NOW })).map((m) => m.meetingId)).not.toContain(meeting.id);
    expect(await awaitedParticipantLists({ actor: cast.delegate.actor, now: NOW })).toEqual([]);
  });
});
