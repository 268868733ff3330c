import { describe, expect, it } from "vitest";
import { can, whyNot, type Permission, type Role } from "~/lib/permissions";

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
