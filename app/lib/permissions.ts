import type { Role } from "#db/vocabulary";
import type { Message } from "./errors";

/**
 * The one place that decides what a member may do. Model functions assert it on the
 * server; the UI asks the same questions to decide what to show.
 */

export type { Role };

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
  | "outcomes.write"
  | "outcomes.bracket"
  | "outcomes.clear"
  | "outcomes.manage"
  | "outcomes.translate"
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
  "outcomes.write": editors,
  "outcomes.bracket": ["head", "delegate"],
  "outcomes.clear": ["head"],
  "outcomes.manage": ["secretariat"],
  "outcomes.translate": editors,
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
  "outcomes.clear": ["head"],
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

// ---------- rules that depend on a record's state ----------

/** Why the agenda cannot be edited now (locked, or its meeting cancelled), or null. */
export function whyAgendaClosed(agenda: { lockedAt: Date | string | null }, meeting: { status: string }): Message | null {
  if (agenda.lockedAt) return { key: "agenda:errors.locked" };
  if (meeting.status === "cancelled") return { key: "agenda:errors.cancelled" };
  return null;
}

export function canEditAgenda(member: Member | null | undefined, agenda: { lockedAt: Date | string | null }, meeting: { status: string }): boolean {
  return can(member, "agenda.edit") && whyAgendaClosed(agenda, meeting) === null;
}

/**
 * Who may type into the minutes now. Delegates, heads and the secretariat write a draft;
 * once circulated only the secretariat edits (others comment); adopted minutes are frozen
 * unless the secretariat is amending them; officials always read only.
 */
export function canWriteMinutes(member: Member, minutes: { status: "draft" | "circulated" | "adopted"; amending: number | null }, meeting: { status: string }): boolean {
  if (meeting.status === "cancelled" || !can(member, "minutes.write")) return false;
  if (minutes.status === "draft") return true;
  if (minutes.status === "circulated") return member.role === "secretariat";
  return minutes.amending !== null && member.role === "secretariat";
}

/** Officials update their delegation's action items but neither drop nor revive one. */
export function whyNotSetActionStatus(member: Member, from: string, to: string): Message | null {
  if (member.role === "official" && from !== to && (from === "dropped" || to === "dropped")) return { key: "actions:errors.officialDrop" };
  return null;
}
