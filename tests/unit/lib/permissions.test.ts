import { describe, expect, it } from "vitest";
import { can, whyNot, type Permission, type Role, canEditAgenda, canWriteMinutes, whyAgendaClosed, whyNotSetActionStatus } from "~/lib/permissions";

const US = "us-delegation";
const JP = "jp-delegation";
const member = (role: Role, delegationId: string | null = US) => ({ role, delegationId });

describe("permissions", () => {
  it.each<[Permission, Role[]]>([
    ["members.manage", ["secretariat"]],
    ["audit.read", ["secretariat"]],
    ["meetings.manage", ["secretariat"]],
    ["agenda.edit", ["secretariat", "head", "delegate"]],
    ["agenda.lock", ["secretariat"]],
    ["minutes.write", ["secretariat", "head", "delegate"]],
    ["minutes.manage", ["secretariat"]],
    ["actions.create", ["secretariat", "head", "delegate"]],
    ["body.read", ["secretariat", "head", "delegate", "official"]],
  ])("%s belongs to %j", (permission, roles) => {
    for (const role of ["secretariat", "head", "delegate", "official"] as Role[]) {
      expect(can(member(role), permission), `${role} ${permission}`).toBe(roles.includes(role));
    }
  });

  it("lets a head concur and approve only for their own delegation", () => {
    expect(can(member("head", US), "agenda.concur", { delegationId: US })).toBe(true);
    expect(whyNot(member("head", US), "agenda.concur", { delegationId: JP })?.key).toBe("permissions:denied.agenda.concur.otherDelegation");
    expect(can(member("head", US), "minutes.approve", { delegationId: JP })).toBe(false);
    expect(whyNot(member("secretariat", null), "agenda.concur", { delegationId: US })?.key).toBe("permissions:denied.agenda.concur");
  });

  it("lets an official update only their own delegation's action items", () => {
    expect(can(member("official", JP), "actions.update", { delegationId: JP })).toBe(true);
    expect(can(member("official", JP), "actions.update", { delegationId: US })).toBe(false);
    expect(can(member("official", JP), "actions.edit", { delegationId: JP })).toBe(false);
    expect(can(member("delegate", JP), "actions.update", { delegationId: US })).toBe(true);
  });

  it("gives nobody anything without a membership", () => {
    expect(can(null, "body.read")).toBe(false);
  });
});

describe("rules that depend on a record's state", () => {
  it("close the agenda when it is locked or its meeting cancelled", () => {
    const open = { lockedAt: null };
    expect(whyAgendaClosed(open, { status: "scheduled" })).toBeNull();
    expect(whyAgendaClosed({ lockedAt: new Date() }, { status: "scheduled" })?.key).toBe("agenda:errors.locked");
    expect(whyAgendaClosed(open, { status: "cancelled" })?.key).toBe("agenda:errors.cancelled");
    expect(canEditAgenda(member("delegate", US), open, { status: "draft" })).toBe(true);
    expect(canEditAgenda(member("official", US), open, { status: "draft" })).toBe(false);
  });

  it("let the minutes be written as a draft by every editor, then only by the secretariat", () => {
    const meeting = { status: "held" };
    expect(canWriteMinutes(member("delegate", US), { status: "draft", amending: null }, meeting)).toBe(true);
    expect(canWriteMinutes(member("official", US), { status: "draft", amending: null }, meeting)).toBe(false);
    expect(canWriteMinutes(member("head", US), { status: "circulated", amending: null }, meeting)).toBe(false);
    expect(canWriteMinutes(member("secretariat", null), { status: "circulated", amending: null }, meeting)).toBe(true);
    expect(canWriteMinutes(member("secretariat", null), { status: "adopted", amending: null }, meeting)).toBe(false);
    expect(canWriteMinutes(member("secretariat", null), { status: "adopted", amending: 1 }, meeting)).toBe(true);
    expect(canWriteMinutes(member("delegate", US), { status: "draft", amending: null }, { status: "cancelled" })).toBe(false);
  });

  it("keep officials from dropping or reviving an action item", () => {
    expect(whyNotSetActionStatus(member("official", US), "open", "done")).toBeNull();
    expect(whyNotSetActionStatus(member("official", US), "open", "dropped")?.key).toBe("actions:errors.officialDrop");
    expect(whyNotSetActionStatus(member("official", US), "dropped", "open")?.key).toBe("actions:errors.officialDrop");
    expect(whyNotSetActionStatus(member("delegate", US), "open", "dropped")).toBeNull();
  });
});

