import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalogueUrls } from "~/lib/catalogue-files.server";
import { cookieFor, createCast } from "#tests/factories";
import { context, get, post, respond } from "#tests/support/requests";
import { sendInvitations } from "~/models/meetings/invitations.server";
import { createMeeting } from "~/models/meetings/meetings.server";
import { createAction } from "~/models/actions/actions.server";
import { getMinutesPage } from "~/models/minutes/minutes.server";
import { openAnnex } from "~/models/annex/annex.server";
import { saveVersion } from "~/models/minutes/content.server";
import { loadDoc } from "~/models/minutes/store.server";
import { db } from "~/lib/db.server";
import { createOutcome } from "~/models/outcomes/outcomes.server";
// The outcome pages read the live text through the collaboration server.
import { shutdownCollab } from "~/server/collab.server";

/**
 * Every route × every role. A new route file fails the first test until it has a row here.
 * Statuses: 200 shown, 302 redirected (sign-in or done), 400 refused input, 403 member
 * without the right, 404 not a member (or nothing there).
 */

type Who = "anonymous" | "secretariat" | "head" | "delegate" | "official" | "outsider";
const everyone: Who[] = ["anonymous", "secretariat", "head", "delegate", "official", "outsider"];

type World = Awaited<ReturnType<typeof createCast>> & { meetingId: string; itemId: string; jpItemId: string; versionId: string; documentId: string };

interface Case {
  file: string;
  name: string;
  method: "GET" | "POST";
  path: (w: World) => string;
  params: (w: World) => Record<string, string>;
  form?: (w: World) => Record<string, string>;
  expect: Record<Who, number>;
}

const signedIn = (statuses: Omit<Record<Who, number>, "anonymous">): Record<Who, number> => ({ anonymous: 302, ...statuses });
const all = (status: number): Record<Who, number> => Object.fromEntries(everyone.map((w) => [w, status])) as Record<Who, number>;
const slug = (w: World) => ({ slug: w.body.body.slug });
const meeting = (w: World) => ({ meetingId: w.meetingId });
const members = { secretariat: 200, head: 200, delegate: 200, official: 200, outsider: 404 };
const editors = (ok: number) => ({ secretariat: ok, head: ok, delegate: ok, official: 403, outsider: 404 });
const item = (w: World) => ({ itemId: w.itemId });
const secretariatOnly = (ok: number) => ({ secretariat: ok, head: 403, delegate: 403, official: 403, outsider: 404 });

const cases: Case[] = [
  { file: "healthz.ts", name: "health", method: "GET", path: () => "/healthz", params: () => ({}), expect: all(200) },
  // Translation catalogues are public (no TLP material; the same for every reader): ADR 039.
  { file: "locales.$locale.$file.ts", name: "catalogue file", method: "GET", path: () => catalogueUrls("ja").agenda, params: () => ({}), expect: all(200) },
  { file: "locales.$locale.$file.ts", name: "catalogue of another build", method: "GET", path: () => "/locales/ja/agenda.000000000000.json", params: () => ({}), expect: all(404) },
  {
    file: "login.tsx",
    name: "sign-in page",
    method: "GET",
    path: () => "/login",
    params: () => ({}),
    expect: { anonymous: 200, secretariat: 302, head: 302, delegate: 302, official: 302, outsider: 302 },
  },
  {
    file: "login.tsx",
    name: "sign in with nothing",
    method: "POST",
    path: () => "/login",
    params: () => ({}),
    form: () => ({ email: "", password: "" }),
    expect: all(400),
  },
  // The second step of signing in serves only a pending sign-in (password checked, factor not yet): no one here has one.
  { file: "login_.two-factor.tsx", name: "second sign-in step", method: "GET", path: () => "/login/two-factor", params: () => ({}), expect: all(302) },
  { file: "login_.two-factor.tsx", name: "send a code without a pending sign-in", method: "POST", path: () => "/login/two-factor", params: () => ({}), form: () => ({ intent: "code", code: "123456" }), expect: all(302) },
  { file: "logout.tsx", name: "sign out", method: "POST", path: () => "/logout", params: () => ({}), form: () => ({}), expect: all(302) },
  { file: "logout.tsx", name: "sign-out page", method: "GET", path: () => "/logout", params: () => ({}), expect: all(302) },
  { file: "language.tsx", name: "switch language", method: "POST", path: () => "/language", params: () => ({}), form: () => ({ locale: "ja" }), expect: all(302) },
  { file: "language.tsx", name: "switch to an unknown language", method: "POST", path: () => "/language", params: () => ({}), form: () => ({ locale: "xx" }), expect: all(400) },
  { file: "language.tsx", name: "language page", method: "GET", path: () => "/language", params: () => ({}), expect: all(302) },
  {
    file: "set-password.$token.tsx",
    name: "unknown set-password link",
    method: "GET",
    path: () => "/set-password/nope",
    params: () => ({ token: "nope" }),
    expect: all(200),
  },
  {
    file: "set-password.$token.tsx",
    name: "use an unknown set-password link",
    method: "POST",
    path: () => "/set-password/nope",
    params: () => ({ token: "nope" }),
    form: () => ({ password: "a long enough password", confirmPassword: "a long enough password" }),
    expect: all(410),
  },
  { file: "_app.tsx", name: "shell", method: "GET", path: () => "/", params: () => ({}), expect: signedIn({ secretariat: 200, head: 200, delegate: 200, official: 200, outsider: 200 }) },
  {
    file: "_app._index.tsx",
    name: "start page (one body: straight to it)",
    method: "GET",
    path: () => "/",
    params: () => ({}),
    expect: signedIn({ secretariat: 302, head: 302, delegate: 302, official: 302, outsider: 302 }),
  },
  {
    file: "_app.meetings._index.tsx",
    name: "meetings across the person's bodies (an outsider sees only their own body's)",
    method: "GET",
    path: () => "/meetings",
    params: () => ({}),
    expect: signedIn({ secretariat: 200, head: 200, delegate: 200, official: 200, outsider: 200 }),
  },
  {
    file: "_app.actions._index.tsx",
    name: "action items across the person's bodies, filtered to a body",
    method: "GET",
    path: () => "/actions?body=no-such-body",
    params: () => ({}),
    expect: signedIn({ secretariat: 200, head: 200, delegate: 200, official: 200, outsider: 200 }),
  },
  {
    file: "_app.$.tsx",
    name: "unknown address",
    method: "GET",
    path: () => "/no/such/page",
    params: () => ({ "*": "no/such/page" }),
    expect: signedIn({ secretariat: 404, head: 404, delegate: 404, official: 404, outsider: 404 }),
  },
  {
    file: "_app.$.tsx",
    name: "post to an unknown address",
    method: "POST",
    path: () => "/no/such/page",
    params: () => ({ "*": "no/such/page" }),
    form: () => ({}),
    expect: signedIn({ secretariat: 404, head: 404, delegate: 404, official: 404, outsider: 404 }),
  },
  {
    file: "_app.settings.tsx",
    name: "settings",
    method: "GET",
    path: () => "/settings",
    params: () => ({}),
    expect: signedIn({ secretariat: 200, head: 200, delegate: 200, official: 200, outsider: 200 }),
  },
  {
    file: "_app.settings.tsx",
    name: "save an empty profile",
    method: "POST",
    path: () => "/settings",
    params: () => ({}),
    form: () => ({ intent: "profile", name: "", locale: "", timeZone: "" }),
    expect: signedIn({ secretariat: 400, head: 400, delegate: 400, official: 400, outsider: 400 }),
  },
  {
    file: "_app.bodies.$slug._index.tsx",
    name: "body home",
    method: "GET",
    path: (w) => `/bodies/${w.body.body.slug}`,
    params: slug,
    expect: signedIn({ secretariat: 200, head: 200, delegate: 200, official: 200, outsider: 404 }),
  },
  {
    file: "_app.bodies.$slug.members._index.tsx",
    name: "members",
    method: "GET",
    path: (w) => `/bodies/${w.body.body.slug}/members`,
    params: slug,
    expect: signedIn({ secretariat: 200, head: 200, delegate: 200, official: 200, outsider: 404 }),
  },
  {
    file: "_app.bodies.$slug.members._index.tsx",
    name: "add a member with an empty form",
    method: "POST",
    path: (w) => `/bodies/${w.body.body.slug}/members`,
    params: slug,
    form: () => ({ name: "", email: "", role: "delegate", delegationId: "" }),
    expect: signedIn({ secretariat: 400, head: 403, delegate: 403, official: 403, outsider: 404 }),
  },
  {
    file: "_app.bodies.$slug.members.$membershipId.tsx",
    name: "a member's management page",
    method: "GET",
    path: (w) => `/bodies/${w.body.body.slug}/members/${w.delegate.membership.id}`,
    params: (w) => ({ slug: w.body.body.slug, membershipId: w.delegate.membership.id }),
    expect: signedIn({ secretariat: 200, head: 403, delegate: 403, official: 403, outsider: 404 }),
  },
  {
    file: "_app.bodies.$slug.members.$membershipId.tsx",
    name: "change a member without a role",
    method: "POST",
    path: (w) => `/bodies/${w.body.body.slug}/members/${w.delegate.membership.id}`,
    params: (w) => ({ slug: w.body.body.slug, membershipId: w.delegate.membership.id }),
    form: () => ({ intent: "change", role: "", delegationId: "" }),
    expect: signedIn({ secretariat: 400, head: 403, delegate: 403, official: 403, outsider: 404 }),
  },
  {
    file: "_app.bodies.$slug.audit.tsx",
    name: "audit trail",
    method: "GET",
    path: (w) => `/bodies/${w.body.body.slug}/audit`,
    params: slug,
    expect: signedIn({ secretariat: 200, head: 403, delegate: 403, official: 403, outsider: 404 }),
  },
  {
    file: "_app.bodies.$slug.meetings._index.tsx",
    name: "meetings",
    method: "GET",
    path: (w) => `/bodies/${w.body.body.slug}/meetings`,
    params: slug,
    expect: signedIn(members),
  },
  {
    file: "_app.bodies.$slug.meetings._index.tsx",
    name: "create the body's calendar feed",
    method: "POST",
    path: (w) => `/bodies/${w.body.body.slug}/meetings`,
    params: slug,
    form: () => ({ intent: "create-feed" }),
    expect: signedIn(secretariatOnly(200)),
  },
  {
    file: "_app.bodies.$slug.meetings.plan.tsx",
    name: "plan the next meeting",
    method: "GET",
    path: (w) => `/bodies/${w.body.body.slug}/meetings/plan?format=virtual`,
    params: slug,
    expect: signedIn(secretariatOnly(200)),
  },
  {
    file: "_app.bodies.$slug.meetings.plan.tsx",
    name: "create a meeting with an empty form",
    method: "POST",
    path: (w) => `/bodies/${w.body.body.slug}/meetings/plan`,
    params: slug,
    form: () => ({ intent: "create" }),
    expect: signedIn(secretariatOnly(400)),
  },
  {
    file: "_app.meetings.$meetingId._index.tsx",
    name: "a meeting",
    method: "GET",
    path: (w) => `/meetings/${w.meetingId}`,
    params: meeting,
    expect: signedIn(members),
  },
  {
    file: "_app.meetings.$meetingId._index.tsx",
    name: "cancel a meeting without naming the version",
    method: "POST",
    path: (w) => `/meetings/${w.meetingId}`,
    params: meeting,
    form: () => ({ intent: "cancel" }),
    expect: signedIn(secretariatOnly(400)),
  },
  {
    file: "_app.meetings.$meetingId._index.tsx",
    name: "answer an invitation (US and the secretariat were invited)",
    method: "POST",
    path: (w) => `/meetings/${w.meetingId}`,
    params: meeting,
    form: () => ({ intent: "respond", response: "accepted" }),
    expect: signedIn(members),
  },
  {
    file: "_app.meetings.$meetingId.edit.tsx",
    name: "edit a meeting",
    method: "GET",
    path: (w) => `/meetings/${w.meetingId}/edit`,
    params: meeting,
    expect: signedIn(secretariatOnly(200)),
  },
  {
    file: "_app.meetings.$meetingId.edit.tsx",
    name: "save a meeting with an empty form",
    method: "POST",
    path: (w) => `/meetings/${w.meetingId}/edit`,
    params: meeting,
    form: () => ({}),
    expect: signedIn(secretariatOnly(400)),
  },
  {
    file: "meetings.$meetingId.invite[.]ics.ts",
    name: "a meeting's invitation file",
    method: "GET",
    path: (w) => `/meetings/${w.meetingId}/invite.ics`,
    params: meeting,
    expect: signedIn(members),
  },
  {
    file: "feeds.$file.ts",
    name: "an unknown calendar feed",
    method: "GET",
    path: () => "/feeds/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics",
    params: () => ({ file: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics" }),
    expect: all(404),
  },
  {
    file: "bodies.$slug.meetings[.]ics.ts",
    name: "a year of the body's meetings",
    method: "GET",
    path: (w) => `/bodies/${w.body.body.slug}/meetings.ics?year=2027`,
    params: slug,
    expect: signedIn(secretariatOnly(200)),
  },
  {
    file: "_app.bodies.$slug.outbox.tsx",
    name: "the outbox",
    method: "GET",
    path: (w) => `/bodies/${w.body.body.slug}/outbox`,
    params: slug,
    expect: signedIn(secretariatOnly(200)),
  },
  {
    file: "_app.bodies.$slug.outbox.tsx",
    name: "retry a message that does not exist",
    method: "POST",
    path: (w) => `/bodies/${w.body.body.slug}/outbox`,
    params: slug,
    form: () => ({ messageId: "nope" }),
    expect: signedIn({ secretariat: 404, head: 403, delegate: 403, official: 403, outsider: 404 }),
  },
  {
    file: "_app.bodies.$slug.actions._index.tsx",
    name: "the action-item dashboard",
    method: "GET",
    path: (w) => `/bodies/${w.body.body.slug}/actions?status=all&due=overdue`,
    params: slug,
    expect: signedIn(members),
  },
  {
    file: "_app.bodies.$slug.actions.new.tsx",
    name: "the new action-item form",
    method: "GET",
    path: (w) => `/bodies/${w.body.body.slug}/actions/new`,
    params: slug,
    expect: signedIn(editors(200)),
  },
  {
    file: "_app.bodies.$slug.actions.new.tsx",
    name: "create an action item with nothing filled in",
    method: "POST",
    path: (w) => `/bodies/${w.body.body.slug}/actions/new`,
    params: slug,
    form: () => ({}),
    expect: signedIn(editors(400)),
  },
  {
    file: "_app.actions.$itemId._index.tsx",
    name: "an action item",
    method: "GET",
    path: (w) => `/actions/${w.itemId}`,
    params: item,
    expect: signedIn(members),
  },
  {
    file: "_app.actions.$itemId._index.tsx",
    name: "record progress on the US delegation's item without a version",
    method: "POST",
    path: (w) => `/actions/${w.itemId}`,
    params: item,
    form: () => ({ status: "in_progress" }),
    expect: signedIn({ secretariat: 400, head: 400, delegate: 400, official: 400, outsider: 404 }),
  },
  {
    file: "_app.actions.$itemId._index.tsx",
    name: "record progress on the JP delegation's item (the official is American)",
    method: "POST",
    path: (w) => `/actions/${w.jpItemId}`,
    params: (w) => ({ itemId: w.jpItemId }),
    form: () => ({ status: "in_progress" }),
    expect: signedIn({ secretariat: 400, head: 400, delegate: 400, official: 403, outsider: 404 }),
  },
  {
    file: "_app.actions.$itemId.edit.tsx",
    name: "the action-item edit form",
    method: "GET",
    path: (w) => `/actions/${w.itemId}/edit`,
    params: item,
    expect: signedIn(editors(200)),
  },
  {
    file: "_app.actions.$itemId.edit.tsx",
    name: "save an action item with nothing filled in",
    method: "POST",
    path: (w) => `/actions/${w.itemId}/edit`,
    params: item,
    form: () => ({}),
    expect: signedIn(editors(400)),
  },
  {
    file: "bodies.$slug.actions[.]csv.ts",
    name: "the action items as CSV",
    method: "GET",
    path: (w) => `/bodies/${w.body.body.slug}/actions.csv`,
    params: slug,
    expect: signedIn(members),
  },
  {
    file: "bodies.$slug.actions.print.tsx",
    name: "the printable action items",
    method: "GET",
    path: (w) => `/bodies/${w.body.body.slug}/actions/print`,
    params: slug,
    expect: signedIn(members),
  },
  {
    file: "_app.meetings.$meetingId.actions.tsx",
    name: "a meeting's action-item follow-up",
    method: "GET",
    path: (w) => `/meetings/${w.meetingId}/actions`,
    params: meeting,
    expect: signedIn(members),
  },
  {
    file: "_app.meetings.$meetingId.actions.tsx",
    name: "review an item at a meeting without a version",
    method: "POST",
    path: (w) => `/meetings/${w.meetingId}/actions`,
    params: meeting,
    form: (w) => ({ itemId: w.itemId, status: "in_progress" }),
    expect: signedIn({ secretariat: 400, head: 400, delegate: 400, official: 400, outsider: 404 }),
  },
  {
    file: "_app.meetings.$meetingId.agenda.tsx",
    name: "an agenda",
    method: "GET",
    path: (w) => `/meetings/${w.meetingId}/agenda`,
    params: meeting,
    expect: signedIn(members),
  },
  {
    file: "_app.meetings.$meetingId.agenda.tsx",
    name: "propose an agenda item with nothing filled in",
    method: "POST",
    path: (w) => `/meetings/${w.meetingId}/agenda`,
    params: meeting,
    form: () => ({ intent: "propose" }),
    expect: signedIn(editors(400)),
  },
  {
    file: "_app.meetings.$meetingId.agenda.tsx",
    name: "lock an agenda nobody has concurred with",
    method: "POST",
    path: (w) => `/meetings/${w.meetingId}/agenda`,
    params: meeting,
    form: () => ({ intent: "lock" }),
    expect: signedIn(secretariatOnly(400)),
  },
  {
    file: "_app.meetings.$meetingId.agenda.tsx",
    name: "concur without naming the agenda seen (the head is American)",
    method: "POST",
    path: (w) => `/meetings/${w.meetingId}/agenda`,
    params: meeting,
    form: () => ({ intent: "concur" }),
    expect: signedIn({ secretariat: 403, head: 400, delegate: 403, official: 403, outsider: 404 }),
  },
  {
    file: "meetings.$meetingId.agenda.events.ts",
    name: "an agenda's live events",
    method: "GET",
    path: (w) => `/meetings/${w.meetingId}/agenda/events`,
    params: meeting,
    expect: signedIn(members),
  },
  {
    file: "meetings.$meetingId.agenda_.print.tsx",
    name: "a printable agenda",
    method: "GET",
    path: (w) => `/meetings/${w.meetingId}/agenda/print`,
    params: meeting,
    expect: signedIn(members),
  },
  {
    file: "_app.bodies.$slug.standing-items.tsx",
    name: "the standing items",
    method: "GET",
    path: (w) => `/bodies/${w.body.body.slug}/standing-items`,
    params: slug,
    expect: signedIn(members),
  },
  {
    file: "_app.bodies.$slug.standing-items.tsx",
    name: "add a standing item with nothing filled in",
    method: "POST",
    path: (w) => `/bodies/${w.body.body.slug}/standing-items`,
    params: slug,
    form: () => ({ intent: "add" }),
    expect: signedIn(secretariatOnly(400)),
  },
  {
    file: "meetings.$meetingId.agenda[.]pdf.ts",
    name: "an agenda as PDF",
    method: "GET",
    path: (w) => `/meetings/${w.meetingId}/agenda.pdf`,
    params: meeting,
    expect: signedIn(members),
  },
  {
    file: "meetings.$meetingId.agenda[.]docx.ts",
    name: "an agenda as DOCX",
    method: "GET",
    path: (w) => `/meetings/${w.meetingId}/agenda.docx`,
    params: meeting,
    expect: signedIn(members),
  },
  {
    file: "_app.meetings.$meetingId.minutes.tsx",
    name: "the minutes",
    method: "GET",
    path: (w) => `/meetings/${w.meetingId}/minutes`,
    params: meeting,
    expect: signedIn(members),
  },
  {
    file: "_app.meetings.$meetingId.minutes.tsx",
    name: "comment on the minutes with nothing written",
    method: "POST",
    path: (w) => `/meetings/${w.meetingId}/minutes`,
    params: meeting,
    form: () => ({ intent: "comment", text: "" }),
    expect: signedIn({ secretariat: 400, head: 400, delegate: 400, official: 400, outsider: 404 }),
  },
  {
    file: "_app.meetings.$meetingId.minutes.tsx",
    name: "raise an action item from the minutes without a title",
    method: "POST",
    path: (w) => `/meetings/${w.meetingId}/minutes`,
    params: meeting,
    form: () => ({ intent: "action", title: "" }),
    expect: signedIn(editors(400)),
  },
  {
    file: "_app.meetings.$meetingId.minutes.tsx",
    name: "adopt draft minutes",
    method: "POST",
    path: (w) => `/meetings/${w.meetingId}/minutes`,
    params: meeting,
    form: () => ({ intent: "adopt" }),
    expect: signedIn(secretariatOnly(400)),
  },
  {
    file: "_app.meetings.$meetingId.minutes.tsx",
    name: "approve draft minutes (the head is American)",
    method: "POST",
    path: (w) => `/meetings/${w.meetingId}/minutes`,
    params: meeting,
    form: () => ({ intent: "approve" }),
    expect: signedIn({ secretariat: 403, head: 400, delegate: 403, official: 403, outsider: 404 }),
  },
  {
    file: "_app.meetings.$meetingId.minutes_.annex.tsx",
    name: "the restricted annex (TLP:RED: before the list is published, the secretariat and the heads)",
    method: "GET",
    path: (w) => `/meetings/${w.meetingId}/minutes/annex`,
    params: meeting,
    expect: signedIn({ secretariat: 200, head: 200, delegate: 404, official: 404, outsider: 404 }),
  },
  {
    file: "_app.meetings.$meetingId.minutes_.annex.tsx",
    name: "open the restricted annex (already open: nothing changes)",
    method: "POST",
    path: (w) => `/meetings/${w.meetingId}/minutes/annex`,
    params: meeting,
    form: () => ({}),
    expect: signedIn({ secretariat: 302, head: 302, delegate: 404, official: 404, outsider: 404 }),
  },
  {
    file: "meetings.$meetingId.minutes_.annex_.$file.ts",
    name: "the restricted annex as Markdown",
    method: "GET",
    path: (w) => `/meetings/${w.meetingId}/minutes/annex/export.md`,
    params: (w) => ({ meetingId: w.meetingId, file: "export.md" }),
    expect: signedIn({ secretariat: 200, head: 200, delegate: 404, official: 404, outsider: 404 }),
  },
  {
    file: "meetings.$meetingId.minutes_.annex_.$file.ts",
    name: "the restricted annex in a format that does not exist",
    method: "GET",
    path: (w) => `/meetings/${w.meetingId}/minutes/annex/export.exe`,
    params: (w) => ({ meetingId: w.meetingId, file: "export.exe" }),
    expect: all(404),
  },
  {
    file: "_app.meetings.$meetingId.minutes_.versions.$versionId.tsx",
    name: "a saved version of the minutes",
    method: "GET",
    path: (w) => `/meetings/${w.meetingId}/minutes/versions/${w.versionId}`,
    params: (w) => ({ meetingId: w.meetingId, versionId: w.versionId }),
    expect: signedIn(members),
  },
  {
    file: "_app.meetings.$meetingId.minutes_.versions.$versionId.tsx",
    name: "a version of the minutes that does not exist",
    method: "GET",
    path: (w) => `/meetings/${w.meetingId}/minutes/versions/nope`,
    params: (w) => ({ meetingId: w.meetingId, versionId: "nope" }),
    expect: signedIn({ secretariat: 404, head: 404, delegate: 404, official: 404, outsider: 404 }),
  },
  {
    file: "meetings.$meetingId.minutes_.$file.ts",
    name: "the minutes as Markdown",
    method: "GET",
    path: (w) => `/meetings/${w.meetingId}/minutes/export.md`,
    params: (w) => ({ meetingId: w.meetingId, file: "export.md" }),
    expect: signedIn(members),
  },
  {
    file: "meetings.$meetingId.minutes_.$file.ts",
    name: "the minutes in a format we do not make",
    method: "GET",
    path: (w) => `/meetings/${w.meetingId}/minutes/export.exe`,
    params: (w) => ({ meetingId: w.meetingId, file: "export.exe" }),
    expect: all(404),
  },
  {
    file: "_app.meetings.$meetingId.participants.tsx",
    name: "the lists of participants",
    method: "GET",
    path: (w) => `/meetings/${w.meetingId}/participants`,
    params: meeting,
    expect: signedIn(members),
  },
  {
    file: "_app.meetings.$meetingId.participants.tsx",
    name: "publish a list of participants nobody is on yet",
    method: "POST",
    path: (w) => `/meetings/${w.meetingId}/participants`,
    params: meeting,
    form: () => ({ intent: "publish" }),
    expect: signedIn(secretariatOnly(400)),
  },
  {
    file: "_app.meetings.$meetingId.participants.tsx",
    name: "add someone to the US list with no name",
    method: "POST",
    path: (w) => `/meetings/${w.meetingId}/participants`,
    params: meeting,
    form: (w) => ({ intent: "add", delegationId: w.body.delegations.US.id, role: "expert" }),
    expect: signedIn({ secretariat: 400, head: 400, delegate: 403, official: 403, outsider: 404 }),
  },
  {
    file: "meetings.$meetingId.book[.]pdf.ts",
    name: "the meeting book",
    method: "GET",
    path: (w) => `/meetings/${w.meetingId}/book.pdf`,
    params: meeting,
    expect: signedIn(members),
  },
  {
    file: "meetings.$meetingId.participants[.]pdf.ts",
    name: "the published list of participants before it is published",
    method: "GET",
    path: (w) => `/meetings/${w.meetingId}/participants.pdf`,
    params: meeting,
    expect: signedIn({ secretariat: 404, head: 404, delegate: 404, official: 404, outsider: 404 }),
  },
  {
    file: "meetings.$meetingId.papers.ts",
    name: "withdraw a paper that does not exist",
    method: "POST",
    path: (w) => `/meetings/${w.meetingId}/papers`,
    params: meeting,
    form: () => ({ intent: "withdraw", paperId: "missing", reason: "test" }),
    expect: signedIn({ secretariat: 404, head: 404, delegate: 404, official: 404, outsider: 404 }),
  },
  {
    file: "papers.$paperId.download.ts",
    name: "a paper that does not exist",
    method: "GET",
    path: () => "/papers/missing/download",
    params: () => ({ paperId: "missing" }),
    expect: signedIn({ secretariat: 404, head: 404, delegate: 404, official: 404, outsider: 404 }),
  },
  {
    file: "_app.search.tsx",
    name: "search",
    method: "GET",
    path: () => "/search?q=US+item",
    params: () => ({}),
    expect: signedIn({ secretariat: 200, head: 200, delegate: 200, official: 200, outsider: 200 }),
  },
  {
    file: "_app.search.tsx",
    name: "search for a kind of thing that does not exist",
    method: "GET",
    path: () => "/search?q=item&kind=everything",
    params: () => ({}),
    expect: signedIn({ secretariat: 200, head: 200, delegate: 200, official: 200, outsider: 200 }),
  },
  {
    file: "_app.meetings.$meetingId.outcomes.tsx",
    name: "a meeting's outcome documents",
    method: "GET",
    path: (w) => `/meetings/${w.meetingId}/outcomes`,
    params: meeting,
    expect: signedIn(members),
  },
  {
    file: "_app.meetings.$meetingId.outcomes.tsx",
    name: "a new outcome document without a title",
    method: "POST",
    path: (w) => `/meetings/${w.meetingId}/outcomes`,
    params: meeting,
    form: () => ({ title: "", kind: "joint_statement" }),
    expect: signedIn(editors(400)),
  },
  {
    file: "_app.meetings.$meetingId.outcomes.tsx",
    name: "set the body's symbol prefix to nothing",
    method: "POST",
    path: (w) => `/meetings/${w.meetingId}/outcomes`,
    params: meeting,
    form: () => ({ intent: "prefix", symbolPrefix: "" }),
    expect: signedIn(secretariatOnly(400)),
  },
  {
    file: "_app.outcomes.$documentId._index.tsx",
    name: "an outcome document",
    method: "GET",
    path: (w) => `/outcomes/${w.documentId}`,
    params: (w) => ({ documentId: w.documentId }),
    expect: signedIn(members),
  },
  {
    file: "_app.outcomes.$documentId._index.tsx",
    name: "start a silence procedure without a deadline",
    method: "POST",
    path: (w) => `/outcomes/${w.documentId}`,
    params: (w) => ({ documentId: w.documentId }),
    form: () => ({ intent: "startSilence", date: "", time: "", timeZone: "" }),
    expect: signedIn(secretariatOnly(400)),
  },
  {
    file: "_app.outcomes.$documentId._index.tsx",
    name: "clear an outcome document without saying which text (the head is American)",
    method: "POST",
    path: (w) => `/outcomes/${w.documentId}`,
    params: (w) => ({ documentId: w.documentId }),
    form: () => ({ intent: "clear", kind: "cleared" }),
    expect: signedIn({ secretariat: 403, head: 400, delegate: 403, official: 403, outsider: 404 }),
  },
  {
    file: "outcomes.$documentId.events.ts",
    name: "an outcome document's live events",
    method: "GET",
    path: (w) => `/outcomes/${w.documentId}/events`,
    params: (w) => ({ documentId: w.documentId }),
    expect: signedIn(members),
  },
  {
    file: "_app.outcomes.$documentId.versions.$language.tsx",
    name: "the Japanese version of an outcome document",
    method: "GET",
    path: (w) => `/outcomes/${w.documentId}/versions/ja`,
    params: (w) => ({ documentId: w.documentId, language: "ja" }),
    expect: signedIn(members),
  },
  {
    file: "_app.outcomes.$documentId.versions.$language.tsx",
    name: "save nothing as the Japanese version (only the secretariat and Japan write it)",
    method: "POST",
    path: (w) => `/outcomes/${w.documentId}/versions/ja`,
    params: (w) => ({ documentId: w.documentId, language: "ja" }),
    form: () => ({ intent: "save" }),
    expect: signedIn({ secretariat: 400, head: 403, delegate: 403, official: 403, outsider: 404 }),
  },
  {
    file: "outcomes.$documentId.$file.ts",
    name: "an outcome document as PDF",
    method: "GET",
    path: (w) => `/outcomes/${w.documentId}/export.pdf?lang=en`,
    params: (w) => ({ documentId: w.documentId, file: "export.pdf" }),
    expect: signedIn(members),
  },
  {
    file: "outcomes.$documentId.$file.ts",
    name: "an outcome document in a format we do not make",
    method: "GET",
    path: (w) => `/outcomes/${w.documentId}/export.exe`,
    params: (w) => ({ documentId: w.documentId, file: "export.exe" }),
    expect: all(404),
  },
  {
    file: "public.outcomes.$token._index.tsx",
    name: "a public address that was never issued",
    method: "GET",
    path: () => `/public/outcomes/${"x".repeat(43)}`,
    params: () => ({ token: "x".repeat(43) }),
    expect: all(404),
  },
  {
    file: "public.outcomes.$token.$file.ts",
    name: "a file at a public address that was never issued",
    method: "GET",
    path: () => `/public/outcomes/${"x".repeat(43)}/en.pdf`,
    params: () => ({ token: "x".repeat(43), file: "en.pdf" }),
    expect: all(404),
  },
];

const routeFiles = Object.keys(import.meta.glob("/app/routes/*.{ts,tsx}")).map((p) => p.replace("/app/routes/", ""));

let world: World;

beforeAll(async () => {
  const cast = await createCast();
  const year = new Date().getUTCFullYear() + 1;
  const meeting = await createMeeting({
    actor: cast.secretariat.actor,
    input: { bodyId: cast.body.body.id, ordinal: "1", date: `${year}-06-15`, time: "09:00", endTime: "11:00", timeZone: "America/New_York", format: "virtual", link: "https://meet.example.org/access" },
  });
  await sendInvitations({ actor: cast.secretariat.actor, input: { meetingId: meeting.id, delegationIds: [cast.body.delegations.US.id] } });
  const usItem = await createAction({
    actor: cast.delegate.actor,
    input: { bodyId: cast.body.body.id, title: "US item", ownerDelegationId: cast.body.delegations.US.id, dueKind: "next_meeting", marking: "TLP:GREEN" },
  });
  const jpItem = await createAction({
    actor: cast.delegate.actor,
    input: { bodyId: cast.body.body.id, title: "JP item", ownerDelegationId: cast.body.delegations.JP.id, dueKind: "next_meeting", marking: "TLP:GREEN" },
  });
  await getMinutesPage({ actor: cast.secretariat.actor, meetingId: meeting.id });
  await openAnnex({ actor: cast.secretariat.actor, input: { meetingId: meeting.id } });
  const versionId = await saveVersion(db(), { meetingId: meeting.id, doc: await loadDoc(meeting.id), kind: "autosave", userId: cast.secretariat.user.id, contributors: [] });
  const outcome = await createOutcome({ actor: cast.delegate.actor, input: { meetingId: meeting.id, title: "Joint statement", kind: "joint_statement" } });
  world = { ...cast, meetingId: meeting.id, itemId: usItem.id, jpItemId: jpItem.id, versionId, documentId: outcome.id };
});

afterAll(() => shutdownCollab());

// A fresh session per test: signing out in one test must not sign the next one out.
const cookieOf = (who: Who) => (who === "anonymous" ? Promise.resolve(undefined) : cookieFor(world[who].user.id));

describe("route access", () => {
  it("has a row for every route file", () => {
    const covered = new Set(cases.map((c) => c.file));
    expect(routeFiles.filter((f) => !covered.has(f))).toEqual([]);
  });

  for (const c of cases) {
    for (const who of everyone) {
      it(`${c.name} (${c.method}) as ${who} answers ${c.expect[who]}`, async () => {
        const mod = (await import(`../../app/routes/${c.file}`)) as Record<string, (args: unknown) => Promise<unknown>>;
        const cookie = await cookieOf(who);
        const request = c.method === "GET" ? get(c.path(world), cookie) : post(c.path(world), c.form?.(world) ?? {}, cookie);
        const fn = c.method === "GET" ? mod.loader : mod.action;
        expect(fn, `${c.file} has no ${c.method === "GET" ? "loader" : "action"}`).toBeTypeOf("function");
        const response = await respond(() => fn({ request, params: c.params(world), context }));
        expect(response.status).toBe(c.expect[who]);
      });
    }
  }
});
