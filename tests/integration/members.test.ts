import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, memberships, outboxMessages, users } from "#db/schema";
import { cookieFor, createCast, createMember, createUser } from "#tests/factories";
import { context, get, post, respond } from "#tests/support/requests";
import { db } from "~/lib/db.server";
import { ForbiddenError, NotFoundError, ValidationError } from "~/lib/errors";
import { getUser } from "~/models/people/current-user.server";
import { findPasswordToken } from "~/models/people/accounts.server";
import { listAuditEvents } from "~/models/core/audit.server";
import { addMember, changeMember, deactivateMember, listMembers, reactivateMember } from "~/models/people/members.server";
import * as membersRoute from "~/routes/_app.bodies.$slug.members._index";

describe("member management", () => {
  it("adds a new person with a one-time set-password link, and audits it", async () => {
    const cast = await createCast();
    const result = await addMember({
      actor: cast.secretariat.actor,
      input: { bodyId: cast.body.body.id, name: "Aiko Mori", email: "Aiko.Mori@Example.org", role: "delegate", delegationId: cast.body.delegations.JP.id },
    });
    expect(result.setPasswordToken).toBeTruthy();
    expect(await findPasswordToken(result.setPasswordToken!)).toEqual({ email: "aiko.mori@example.org", name: "Aiko Mori" });
    const events = await db().select().from(auditEvents).where(eq(auditEvents.bodyId, cast.body.body.id));
    expect(events.map((e) => e.action).sort()).toEqual(["membership.create", "user.create"]);
    expect(events.find((e) => e.action === "membership.create")!.actorId).toBe(cast.secretariat.user.id);
    const [mail] = await db().select().from(outboxMessages).where(eq(outboxMessages.toEmail, "aiko.mori@example.org"));
    expect(mail).toMatchObject({ kind: "account.welcome", state: "queued" });
    expect(mail.text).toContain(`/set-password/${result.setPasswordToken}`);
    // The list says who has yet to set a password, and carries no password hash.
    const listed = await listMembers({ actor: cast.secretariat.actor, bodyId: cast.body.body.id });
    expect(listed.find((m) => m.email === "aiko.mori@example.org")?.hasPassword).toBe(false);
    expect(listed.find((m) => m.userId === cast.delegate.user.id)?.hasPassword).toBe(true);
    expect(JSON.stringify(listed)).not.toMatch(/argon2|passwordHash/);
  });

  it("adds someone who already has an account without a new link", async () => {
    const cast = await createCast();
    const result = await addMember({
      actor: cast.secretariat.actor,
      input: { bodyId: cast.body.body.id, name: "ignored", email: cast.outsider.user.email, role: "official", delegationId: cast.body.delegations.KR.id },
    });
    expect(result.setPasswordToken).toBeNull();
    const rows = await db().select().from(memberships).where(eq(memberships.userId, cast.outsider.user.id));
    expect(rows).toHaveLength(2);
  });

  it("refuses a duplicate, a missing delegation, and a delegation of another body, writing nothing", async () => {
    const cast = await createCast();
    const base = { bodyId: cast.body.body.id, name: "X", role: "delegate" };
    await expect(addMember({ actor: cast.secretariat.actor, input: { ...base, email: cast.delegate.user.email, delegationId: cast.body.delegations.US.id } })).rejects.toMatchObject({
      fieldErrors: { email: [{ key: "members:errors.alreadyMember" }] },
    });
    await expect(addMember({ actor: cast.secretariat.actor, input: { ...base, email: "new1@example.org", delegationId: "" } })).rejects.toMatchObject({
      fieldErrors: { delegationId: [{ key: "errors:validation.required" }] },
    });
    await expect(addMember({ actor: cast.secretariat.actor, input: { ...base, email: "new2@example.org", delegationId: cast.other.delegations.US.id } })).rejects.toBeInstanceOf(ValidationError);
    const stray = await db().select().from(users).where(eq(users.email, "new2@example.org"));
    expect(stray).toEqual([]);
  });

  it("lets only the secretariat manage members; outsiders learn nothing", async () => {
    const cast = await createCast();
    const input = { bodyId: cast.body.body.id, name: "Y", email: "y@example.org", role: "delegate", delegationId: cast.body.delegations.US.id };
    for (const who of [cast.head, cast.delegate, cast.official]) {
      await expect(addMember({ actor: who.actor, input })).rejects.toBeInstanceOf(ForbiddenError);
    }
    await expect(addMember({ actor: cast.outsider.actor, input })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("changes a role and delegation", async () => {
    const cast = await createCast();
    await changeMember({
      actor: cast.secretariat.actor,
      input: { bodyId: cast.body.body.id, membershipId: cast.delegate.membership.id, role: "head", delegationId: cast.body.delegations.KR.id },
    });
    const [row] = await db().select().from(memberships).where(eq(memberships.id, cast.delegate.membership.id));
    expect(row).toMatchObject({ role: "head", delegationId: cast.body.delegations.KR.id });
  });

  it("cannot change a membership of another body through this one", async () => {
    const cast = await createCast();
    await expect(
      changeMember({ actor: cast.secretariat.actor, input: { bodyId: cast.body.body.id, membershipId: cast.outsider.membership.id, role: "official", delegationId: cast.body.delegations.US.id } }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("keeps at least one active secretariat member", async () => {
    const cast = await createCast();
    const input = { bodyId: cast.body.body.id, membershipId: cast.secretariat.membership.id, reason: "Moved to another post." };
    await expect(deactivateMember({ actor: cast.secretariat.actor, input })).rejects.toMatchObject({ fieldErrors: { "": [{ key: "members:errors.lastSecretariat" }] } });
    await expect(changeMember({ actor: cast.secretariat.actor, input: { ...input, role: "official", delegationId: cast.body.delegations.US.id } })).rejects.toBeInstanceOf(ValidationError);
    await createMember(cast.body, "secretariat");
    await expect(deactivateMember({ actor: cast.secretariat.actor, input })).resolves.toBeUndefined();
  });

  it("deactivation ends every session of the person at once and hides the body from them", async () => {
    const cast = await createCast();
    const cookie = await cookieFor(cast.delegate.user.id);
    expect(await getUser(get("/", cookie))).not.toBeNull();
    await deactivateMember({ actor: cast.secretariat.actor, input: { bodyId: cast.body.body.id, membershipId: cast.delegate.membership.id, reason: "Moved to another post." } });
    expect(await getUser(get("/", cookie))).toBeNull();
    await expect(listMembers({ actor: cast.delegate.actor, bodyId: cast.body.body.id })).rejects.toBeInstanceOf(NotFoundError);
    // Only the secretariat still sees the deactivated member listed.
    const seenByHead = await listMembers({ actor: cast.head.actor, bodyId: cast.body.body.id });
    expect(seenByHead.map((m) => m.userId)).not.toContain(cast.delegate.user.id);
    await reactivateMember({ actor: cast.secretariat.actor, input: { bodyId: cast.body.body.id, membershipId: cast.delegate.membership.id, reason: "Moved to another post." } });
    const [row] = await db().select().from(memberships).where(and(eq(memberships.id, cast.delegate.membership.id)));
    expect(row.active).toBe(true);
  });

  it.each([
    ["a 10 000-character name", { name: "n".repeat(10_000), email: "long@example.org" }, "name"],
    ["a malformed email", { name: "Z", email: "not-an-email" }, "email"],
    ["hostile markup", { name: "Z", email: "<img src=x onerror=alert(1)>" }, "email"],
  ])("the add form answers %s with a field error and 400", async (_label, fields, field) => {
    const cast = await createCast();
    const cookie = await cookieFor(cast.secretariat.user.id);
    const request = post(`/bodies/${cast.body.body.slug}/members`, { ...fields, role: "delegate", delegationId: cast.body.delegations.US.id }, cookie);
    const response = await respond(() => membersRoute.action({ request, params: { slug: cast.body.body.slug }, context }));
    expect(response.status).toBe(400);
    expect(Object.keys((await response.json()).fieldErrors)).toContain(field);
  });
});

describe("audit trail", () => {
  it("is filtered by person, record type and day in the viewer's zone", async () => {
    const cast = await createCast();
    const bodyId = cast.body.body.id;
    await addMember({ actor: cast.secretariat.actor, input: { bodyId, name: "A", email: "a-audit@example.org", role: "official", delegationId: cast.body.delegations.JP.id } });
    const second = await createMember(cast.body, "secretariat");
    await changeMember({ actor: second.actor, input: { bodyId, membershipId: cast.official.membership.id, role: "delegate", delegationId: cast.body.delegations.US.id } });

    const all = await listAuditEvents({ actor: cast.secretariat.actor, input: { bodyId } });
    expect(all.events).toHaveLength(3);
    const bySecond = await listAuditEvents({ actor: cast.secretariat.actor, input: { bodyId, actorId: second.user.id } });
    expect(bySecond.events.map((e) => e.action)).toEqual(["membership.update"]);
    expect(bySecond.events[0].before).toEqual({ role: "official", delegationId: cast.body.delegations.US.id });
    const users = await listAuditEvents({ actor: cast.secretariat.actor, input: { bodyId, entityType: "user" } });
    expect(users.events.map((e) => e.action)).toEqual(["user.create"]);
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tokyo" }).format(new Date());
    const todayOnly = await listAuditEvents({ actor: cast.secretariat.actor, input: { bodyId, from: today, to: today, timeZone: "Asia/Tokyo" } });
    expect(todayOnly.events).toHaveLength(3);
    const past = await listAuditEvents({ actor: cast.secretariat.actor, input: { bodyId, to: "2020-01-01", timeZone: "Asia/Tokyo" } });
    expect(past.events).toHaveLength(0);
  });

  it("is the secretariat's alone", async () => {
    const cast = await createCast();
    await expect(listAuditEvents({ actor: cast.head.actor, input: { bodyId: cast.body.body.id } })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(listAuditEvents({ actor: cast.outsider.actor, input: { bodyId: cast.body.body.id } })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("records preference changes against the person", async () => {
    const user = await createUser();
    const { updatePreferences } = await import("~/models/people/accounts.server");
    await updatePreferences({ actor: user, input: { name: "New Name", locale: "ko", timeZone: "Asia/Seoul" } });
    const [event] = await db().select().from(auditEvents).where(eq(auditEvents.entityId, user.id));
    expect(event).toMatchObject({ action: "user.preferences", after: { name: "New Name", locale: "ko", timeZone: "Asia/Seoul" } });
    await expect(updatePreferences({ actor: user, input: { name: "N", locale: "ko", timeZone: "+09:00" } })).rejects.toMatchObject({
      fieldErrors: { timeZone: [{ key: "errors:validation.timeZone" }] },
    });
  });
});
