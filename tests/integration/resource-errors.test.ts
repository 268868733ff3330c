import { describe, expect, it } from "vitest";
import { cookieFor, createCast } from "#tests/factories";
import { context, get, respond } from "#tests/support/requests";
import { createMeeting } from "~/models/meetings/meetings.server";
import * as invite from "~/routes/meetings.$meetingId.invite[.]ics";
import * as pdf from "~/routes/meetings.$meetingId.agenda[.]pdf";

/** A file link opened by someone outside the body: the app's 404 page, never raw JSON. */
describe("files and feeds refused", () => {
  async function setUp() {
    const cast = await createCast();
    const meeting = await createMeeting({
      actor: cast.secretariat.actor,
      input: { bodyId: cast.body.body.id, ordinal: "3", date: `${new Date().getUTCFullYear() + 1}-03-09`, time: "09:00", endTime: "11:00", timeZone: "Asia/Tokyo", format: "virtual" },
    });
    return { cast, meeting, cookie: await cookieFor(cast.outsider.user.id) };
  }

  it("shows a non-member opening a member's .ics or PDF link the app's 404 page in their language", async () => {
    const { meeting, cookie } = await setUp();
    for (const [route, path] of [
      [invite, `/meetings/${meeting.id}/invite.ics`],
      [pdf, `/meetings/${meeting.id}/agenda.pdf`],
    ] as const) {
      const request = get(path, cookie, { accept: "text/html,application/xhtml+xml", "accept-language": "ja" });
      const response = await respond(() => route.loader({ request, params: { meetingId: meeting.id }, context }));
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toContain("text/html");
      const body = await response.text();
      expect(body).not.toContain("notFound");
      expect(body).toContain('<html lang="ja">');
      expect(body).toContain("<h1");
      expect(body).toContain('href="/"');
    }
  });

  it("tells a calendar client the same status in plain text", async () => {
    const { meeting, cookie } = await setUp();
    const request = get(`/meetings/${meeting.id}/invite.ics`, cookie, { accept: "text/calendar" });
    const response = await respond(() => invite.loader({ request, params: { meetingId: meeting.id }, context }));
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toContain("text/plain");
  });
});
