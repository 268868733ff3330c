import type { Message } from "./errors";

/**
 * The one place that decides what a member may do. Model functions assert it on the
 * server; the UI asks the same questions to decide what to show.
 */

export type Role = "secretariat" | "head" | "delegate" | "official";

export interface Member {
  role: Role;
  delegationId: string | null;
}

export type Permission =
  | "body.read"
  | "members.manage"
  | "audit.read"
  | "body.configure"
  | "meetings.manage"
  | "meetings.respond"
  | "outbox.read"
  | "feeds.body"
  | "agenda.edit"
  | "agenda.concur"
  | "agenda.lock"
  | "minutes.write"
  | "minutes.comment"
  | "minutes.approve"
  | "minutes.manage"
  | "actions.create"
  | "actions.edit"
  | "actions.update"
  | "actions.comment"
  | "papers.add"
  | "papers.manage"
  | "papers.receipts"
  | "participants.submit"
  | "participants.publish"
  | "participants.roll";

/** A record that belongs to one delegation (an action item's owner, a concurrence). */
export interface Owned {
  delegationId: string | null;
}

const everyone: readonly Role[] = ["secretariat", "head", "delegate", "official"];
const editors: readonly Role[] = ["secretariat", "head", "delegate"];

const allowed: Record<Permission, readonly Role[]> = {
  "body.read": everyone,
  "members.manage": ["secretariat"],
  "audit.read": ["secretariat"],
  "body.configure": ["secretariat"],
  "meetings.manage": ["secretariat"],
  "meetings.respond": everyone,
  "outbox.read": ["secretariat"],
  "feeds.body": ["secretariat"],
  "agenda.edit": editors,
  "agenda.concur": ["head"],
  "agenda.lock": ["secretariat"],
  "minutes.write": editors,
  "minutes.comment": everyone,
  "minutes.approve": ["head"],
  "minutes.manage": ["secretariat"],
  "actions.create": editors,
  "actions.edit": editors,
  "actions.update": everyone,
  "actions.comment": everyone,
  "papers.add": editors,
  "papers.manage": ["secretariat"],
  "papers.receipts": ["secretariat"],
  "participants.submit": ["secretariat", "head"],
  "participants.publish": ["secretariat"],
  "participants.roll": ["secretariat"],
};

/** Permissions that the non-secretariat may use only on records of their own delegation. */
const ownDelegationOnly: Partial<Record<Permission, readonly Role[]>> = {
  "agenda.concur": ["head"],
  "minutes.approve": ["head"],
  "actions.update": ["official"],
  "actions.comment": ["official"],
  "participants.submit": ["head"],
};

/** Why the member may not, or null when they may. */
export function whyNot(member: Member, permission: Permission, record?: Owned): Message | null {
  if (!allowed[permission].includes(member.role)) {
    return { key: `permissions:denied.${permission}` };
  }
  if (ownDelegationOnly[permission]?.includes(member.role)) {
    if (!record || record.delegationId === null || record.delegationId !== member.delegationId) {
      return { key: `permissions:denied.${permission}.otherDelegation` };
    }
  }
  return null;
}

export function can(member: Member | null | undefined, permission: Permission, record?: Owned): boolean {
  return !!member && whyNot(member, permission, record) === null;
}
