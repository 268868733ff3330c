import { parse } from "csv-parse/sync";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { actionItems, auditEvents } from "#db/schema";
import { cookieFor, createCast, createMember } from "#tests/factories";
import { context, get } from "#tests/support/requests";
import { db } from "~/lib/db.server";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "~/lib/errors";
import { listActions } from "~/models/actions/dashboard.server";
import { actionsCsv, neutralizeFormula } from "~/models/actions/export.server";
import { getMeetingFollowUp } from "~/models/actions/follow-up.server";
import { createAction, editAction, getActionPage, updateProgress } from "~/models/actions/actions.server";
import { createMeeting, updateMeeting } from "~/models/meetings/meetings.server";
import { LIST_TITLE_MAX, shortenForList } from "~/lib/list-text";
import * as dashboardRoute from "~/routes/_app.bodies.$slug.actions._index";
import * as acrossRoute from "~/routes/_app.actions._index";
import * as itemRoute from "~/routes/_app.actions.$itemId._index";
import * as printRoute from "~/routes/bodies.$slug.actions.print";

type Cast = Awaited<ReturnType<typeof createCast>>;
const NOW = new Date("2027-01-10T12:00:00Z");

const item = (cast: Cast, overrides: Record<string, unknown> = {}) => ({
  bodyId: cast.body.body.id,
  title: "Share indicators",
  detail: "<p>Details</p>",
  ownerDelegationId: cast.body.delegations.JP.id,
  dueKind: "date",
  dueDate: "2027-02-01",
  priority: "normal",
  marking: "TLP:AMBER",
  ...overrides,
});

async function meetingOn(cast: Cast, date: string) {
  return createMeeting({
    actor: cast.secretariat.actor,
    now: NOW,
    input: { bodyId: cast.body.body.id, ordinal: "1", date, time: "09:00", endTime: "11:00", timeZone: "Asia/Tokyo", format: "virtual" },
  });
}

describe("who may do what with action items", () => {
  it("lets a JP official update JP items but not KR items, and never edit them", async () => {
    const cast = await createCast();
    const jpOfficial = await createMember(cast.body, "official", "JP");
    const jp = await createAction({ actor: cast.delegate.actor, input: item(cast), now: NOW });
    const kr = await createAction({ actor: cast.delegate.actor, input: item(cast, { ownerDelegationId: cast.body.delegations.KR.id }), now: NOW });
    const done = await updateProgress({ actor: jpOfficial.actor, input: { itemId: jp.id, version: "1", status: "in_progress", note: "Started" }, now: NOW });
    expect(done.status).toBe("in_progress");
    await expect(updateProgress({ actor: jpOfficial.actor, input: { itemId: kr.id, version: "1", status: "in_progress" }, now: NOW })).rejects.toMatchObject({
      reason: { key: "permissions:denied.actions.update.otherDelegation" },
    });
    await expect(editAction({ actor: jpOfficial.actor, input: { ...item(cast), itemId: jp.id, version: "2" }, now: NOW })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(createAction({ actor: jpOfficial.actor, input: item(cast), now: NOW })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("does not let an official drop an item", async () => {
    const cast = await createCast();
    const jpOfficial = await createMember(cast.body, "official", "JP");
    const jp = await createAction({ actor: cast.delegate.actor, input: item(cast), now: NOW });
    await expect(updateProgress({ actor: jpOfficial.actor, input: { itemId: jp.id, version: "1", status: "dropped" }, now: NOW })).rejects.toMatchObject({
      reason: { key: "actions:errors.officialDrop" },
    });
    await expect(updateProgress({ actor: cast.head.actor, input: { itemId: jp.id, version: "1", status: "dropped", note: "Overtaken" }, now: NOW })).resolves.toMatchObject({ status: "dropped" });
  });

  it("shows a member of another body nothing", async () => {
    const cast = await createCast();
    const jp = await createAction({ actor: cast.delegate.actor, input: item(cast), now: NOW });
    await expect(getActionPage({ actor: cast.outsider.actor, itemId: jp.id })).rejects.toBeInstanceOf(NotFoundError);
    await expect(listActions({ actor: cast.outsider.actor, bodyId: cast.body.body.id, input: {} })).rejects.toBeInstanceOf(NotFoundError);
    await expect(updateProgress({ actor: cast.outsider.actor, input: { itemId: jp.id, version: "1", status: "done" } })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("bad input", () => {
  it.each([
    ["a due date in the past", { dueDate: "2026-12-31" }, "dueDate", "actions:errors.dueInPast"],
    ["an unknown assignee", { assigneeIds: ["nobody"] }, "assigneeIds", "actions:errors.assigneeNotMember"],
    ["a 10 000-character title", { title: "x".repeat(10_000) }, "title", "errors:validation.tooLong"],
    ["oversized detail", { detail: "y".repeat(20_001) }, "detail", "errors:validation.tooLong"],
    ["an owner from another body", { ownerDelegationId: "elsewhere" }, "ownerDelegationId", "errors:validation.choice"],
    ["no due date for a dated item", { dueDate: "" }, "dueDate", "errors:validation.required"],
    ["an unknown marking", { marking: "SECRET" }, "marking", "errors:validation.choice"],
  ])("refuses %s with a field error, saving nothing", async (_label, overrides, field, key) => {
    const cast = await createCast();
    const error = await createAction({ actor: cast.delegate.actor, input: item(cast, overrides), now: NOW }).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.fieldErrors[field]?.[0]?.key).toBe(key);
    expect(await db().select().from(actionItems).where(eq(actionItems.bodyId, cast.body.body.id))).toEqual([]);
  });

  it("refuses an assignee who belongs to another body", async () => {
    const cast = await createCast();
    await expect(createAction({ actor: cast.delegate.actor, input: item(cast, { assigneeIds: [cast.outsider.user.id] }), now: NOW })).rejects.toMatchObject({
      fieldErrors: { assigneeIds: [{ key: "actions:errors.assigneeNotMember" }] },
    });
  });

  it("sanitises hostile detail", async () => {
    const cast = await createCast();
    const created = await createAction({
      actor: cast.delegate.actor,
      input: item(cast, { detail: '<p onmouseover="x()">ok</p><script>alert(1)</script><a href="javascript:alert(1)">link</a>' }),
      now: NOW,
    });
    expect(created.detail).toBe("<p>ok</p>link");
  });
});

describe("history and follow-up", () => {
  it("ties reviews to meetings so the item reads as its journey, counting the meetings it was carried through", async () => {
    const cast = await createCast();
    const third = await meetingOn(cast, "2027-02-10");
    const fourth = await meetingOn(cast, "2027-05-10");
    const fifth = await meetingOn(cast, "2027-08-10");
    const created = await createAction({ actor: cast.delegate.actor, input: item(cast, { dueKind: "next_meeting", originMeetingId: third.id }), now: NOW });
    expect(created.dueMeetingId).toBe(fourth.id);
    const reviewed = await updateProgress({ actor: cast.delegate.actor, input: { itemId: created.id, version: "1", status: "in_progress", note: "Half done", meetingId: fourth.id }, now: NOW });
    // Carried over at the 4th: now due by the 5th.
    const [carried] = await db().select().from(actionItems).where(eq(actionItems.id, created.id));
    expect(carried.dueMeetingId).toBe(fifth.id);
    await updateProgress({ actor: cast.delegate.actor, input: { itemId: created.id, version: String(reviewed.version), status: "done", meetingId: fifth.id }, now: NOW });
    const page = await getActionPage({ actor: cast.official.actor, itemId: created.id });
    expect(page.timeline.map((e) => [e.kind, e.meetingId, e.statusAfter])).toEqual([
      ["created", third.id, "open"],
      ["review", fourth.id, "in_progress"],
      ["review", fifth.id, "done"],
    ]);
  });

  it("moves a 'by the next meeting' due date when that meeting moves", async () => {
    const cast = await createCast();
    const next = await meetingOn(cast, "2027-03-10");
    const created = await createAction({ actor: cast.delegate.actor, input: item(cast, { dueKind: "next_meeting" }), now: NOW });
    expect(created.dueOn).toBe("2027-03-10");
    await updateMeeting({
      actor: cast.secretariat.actor,
      now: NOW,
      input: { bodyId: cast.body.body.id, meetingId: next.id, version: "1", ordinal: "1", date: "2027-03-24", time: "09:00", endTime: "11:00", timeZone: "Asia/Tokyo", format: "virtual" },
    });
    const [moved] = await db().select().from(actionItems).where(eq(actionItems.id, created.id));
    expect(moved.dueOn).toBe("2027-03-24");
  });

  it("lists at a meeting what was raised there and what is due by it", async () => {
    const cast = await createCast();
    const meeting = await meetingOn(cast, "2027-03-10");
    const raised = await createAction({ actor: cast.delegate.actor, input: item(cast, { originMeetingId: meeting.id, dueDate: "2027-06-01" }), now: NOW });
    const due = await createAction({ actor: cast.delegate.actor, input: item(cast, { dueDate: "2027-03-01" }), now: NOW });
    const later = await createAction({ actor: cast.delegate.actor, input: item(cast, { dueDate: "2027-04-01" }), now: NOW });
    const view = await getMeetingFollowUp({ actor: cast.official.actor, meetingId: meeting.id });
    expect(view.raised.map((r) => r.id)).toEqual([raised.id]);
    expect(view.due.map((r) => r.id)).toEqual([due.id]);
    expect([...view.raised, ...view.due].map((r) => r.id)).not.toContain(later.id);
  });

  it("lists at a meeting a title longer than a list shows shortened, and says so; never the detail", async () => {
    const cast = await createCast();
    const meeting = await meetingOn(cast, "2027-03-10");
    const long = await createAction({ actor: cast.delegate.actor, input: item(cast, { originMeetingId: meeting.id, dueDate: "2027-06-01" }), now: NOW });
    const short = await createAction({ actor: cast.delegate.actor, input: item(cast, { originMeetingId: meeting.id, dueDate: "2027-06-02", title: "Short enough" }), now: NOW });
    // A title of 10,000 characters (from before the 300-character limit, or an import) and a long detail.
    await db().update(actionItems).set({ title: "Sanctions ".repeat(1000).trim(), detail: `<p>${"d".repeat(10_000)}</p>` }).where(eq(actionItems.id, long.id));
    const view = await getMeetingFollowUp({ actor: cast.official.actor, meetingId: meeting.id });
    const [first, second] = view.raised;
    expect(first.id).toBe(long.id);
    expect(first.shortened).toBe(true);
    expect(first.title.endsWith("Sanctions…")).toBe(true);
    expect(first.title.length).toBeLessThanOrEqual(201);
    expect(second).toMatchObject({ id: short.id, title: "Short enough", shortened: false });
    expect("detail" in first).toBe(false);
  });
});

describe("concurrency", () => {
  it("never silently loses a change: a stale save gets 409 with the other person's version", async () => {
    const cast = await createCast();
    const created = await createAction({ actor: cast.delegate.actor, input: item(cast), now: NOW });
    await updateProgress({ actor: cast.head.actor, input: { itemId: created.id, version: "1", status: "in_progress", note: "Mine first" }, now: NOW });
    const error = await updateProgress({ actor: cast.delegate.actor, input: { itemId: created.id, version: "1", status: "done" }, now: NOW }).catch((e) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.current).toMatchObject({ status: "in_progress", version: 2 });
    expect(error.changedBy).toMatchObject({ id: cast.head.user.id });
    const edit = await editAction({ actor: cast.delegate.actor, input: { ...item(cast, { title: "Renamed" }), itemId: created.id, version: "1" }, now: NOW }).catch((e) => e);
    expect(edit).toBeInstanceOf(ConflictError);
    const [row] = await db().select().from(actionItems).where(eq(actionItems.id, created.id));
    expect(row).toMatchObject({ title: "Share indicators", status: "in_progress" });
  });

  it("audits every change", async () => {
    const cast = await createCast();
    const created = await createAction({ actor: cast.delegate.actor, input: item(cast), now: NOW });
    await editAction({ actor: cast.head.actor, input: { ...item(cast, { priority: "high" }), itemId: created.id, version: "1" }, now: NOW });
    const trail = await db().select().from(auditEvents).where(eq(auditEvents.entityId, created.id));
    expect(trail.map((e) => e.action)).toEqual(["action.create", "action.edit"]);
    expect(trail[1].before).toMatchObject({ priority: "normal" });
    expect(trail[1].after).toMatchObject({ priority: "high" });
  });
});

describe("the dashboard and its export", () => {
  it("puts overdue items first, then due soon, and filters by the URL's filters", async () => {
    const cast = await createCast();
    const soon = await createAction({ actor: cast.delegate.actor, input: item(cast, { dueDate: "2027-01-20" }), now: NOW });
    const later = await createAction({ actor: cast.delegate.actor, input: item(cast, { dueDate: "2027-03-20" }), now: NOW });
    const overdue = await createAction({ actor: cast.delegate.actor, input: item(cast, { dueDate: "2027-01-11" }), now: NOW });
    const afterwards = new Date("2027-01-15T12:00:00Z");
    const list = await listActions({ actor: cast.head.actor, bodyId: cast.body.body.id, input: {}, now: afterwards });
    expect(list.rows.map((r) => r.id)).toEqual([overdue.id, soon.id, later.id]);
    expect(list.rows[0].overdue).toBe(true);
    const onlyOverdue = await listActions({ actor: cast.head.actor, bodyId: cast.body.body.id, input: { due: "overdue" }, now: afterwards });
    expect(onlyOverdue.rows.map((r) => r.id)).toEqual([overdue.id]);
    const week = await listActions({ actor: cast.head.actor, bodyId: cast.body.body.id, input: { due: "week" }, now: afterwards });
    expect(week.rows.map((r) => r.id)).toEqual([soon.id]);
  });

  it("exports CSV with a BOM, RFC 4180 quoting, Japanese intact and formulas neutralised", async () => {
    const cast = await createCast();
    await createAction({ actor: cast.delegate.actor, input: item(cast, { title: '=cmd|" /C calc"!A0' }), now: NOW });
    // A title is one line: a line break in it is refused (control characters, issue 11).
    await expect(createAction({ actor: cast.delegate.actor, input: item(cast, { title: "指標の共有\n二行目" }), now: NOW })).rejects.toBeInstanceOf(ValidationError);
    await createAction({ actor: cast.delegate.actor, input: item(cast, { title: "指標の共有, \"急ぎ\"", detail: "<p>詳細 한국어</p>" }), now: NOW });
    const csv = await actionsCsv({ actor: cast.official.actor, bodyId: cast.body.body.id, input: {}, locale: "ja" });
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const rows = parse(csv.slice(1), { relax_column_count: false }) as string[][];
    expect(rows[0][0]).toBe("番号");
    const titles = rows.slice(1).map((r) => r[1]);
    expect(titles).toContain("'=cmd|\" /C calc\"!A0");
    expect(titles).toContain('指標の共有, "急ぎ"');
    expect(rows.slice(1).some((r) => r[11] === "詳細 한국어")).toBe(true);
    expect(csv).toContain("\r\n");
  });

  it.each(["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])("neutralises a cell starting %j", (value) => {
    expect(neutralizeFormula(value)).toBe(`'${value}`);
  });

  it("shows a title too long for a list shortened in the lists, whole on the item's page, on paper and in the CSV", async () => {
    const cast = await createCast();
    const created = await createAction({ actor: cast.delegate.actor, input: item(cast, { marking: "TLP:GREEN" }), now: NOW });
    // Bad input from before the 300-character limit (or an import): stored as it is, never cut.
    const unit = "👨‍👩‍👧‍👦 指標の共有 지표 공유 ";
    const whole = unit.repeat(Math.floor(10_000 / unit.length)).trimEnd();
    await db().update(actionItems).set({ title: whole }).where(eq(actionItems.id, created.id));
    const cookie = await cookieFor(cast.official.user.id);
    const slug = cast.body.body.slug;
    const data = async (route: { loader: (args: never) => Promise<Response> }, path: string, params: Record<string, string>) =>
      (await (await route.loader({ request: get(path, cookie), params, context } as never)).json()) as Record<string, unknown>;

    const dashboard = (await data(dashboardRoute, `/bodies/${slug}/actions`, { slug })) as { rows: Array<Record<string, unknown>> };
    const across = (await data(acrossRoute, "/actions", {})) as { lists: Array<{ rows: Array<Record<string, unknown>> }> };
    for (const rows of [dashboard.rows, across.lists[0].rows]) {
      expect(rows).toHaveLength(1);
      const [row] = rows;
      expect(row.shortened).toBe(true);
      const shown = row.title as string;
      expect(shown.endsWith("…")).toBe(true);
      expect(shown.length).toBeLessThanOrEqual(LIST_TITLE_MAX + 1);
      expect(whole.startsWith(shown.slice(0, -1))).toBe(true);
      // Read as a prefix in SQL, cut as the whole title would be.
      expect(shown).toBe(shortenForList(whole).text);
      // Only what the row renders: no detail, dates, origin or assignee ids.
      expect(Object.keys(row).sort()).toEqual(["assignees", "carried", "dueKind", "dueOn", "id", "marking", "overdue", "ownerDelegationId", "priority", "ref", "shortened", "status", "title"]);
    }

    const page = (await data(itemRoute, `/actions/${created.id}`, { itemId: created.id })) as { item: { title: string } };
    expect(page.item.title).toBe(whole);
    const paper = (await data(printRoute, `/bodies/${slug}/actions/print`, { slug })) as { rows: Array<{ title: string; shortened: boolean }> };
    expect(paper.rows[0]).toMatchObject({ title: whole, shortened: false });
    const csv = parse((await actionsCsv({ actor: cast.official.actor, bodyId: cast.body.body.id, input: {}, locale: "en" })).slice(1)) as string[][];
    expect(csv[1][1]).toBe(whole);
    const [stored] = await db().select({ title: actionItems.title }).from(actionItems).where(eq(actionItems.id, created.id));
    expect(stored.title).toBe(whole);
  });
});
