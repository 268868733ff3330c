import type { Message } from "~/lib/errors";
import type { PaperNotice } from "~/lib/paper-notice";

/** What the agenda page's papers components are given (shared by the list and the upload forms). */

export interface PaperItemView {
  id: string;
  agendaItemId: string;
  symbol: string;
  title: string;
  marking: string;
  delegationIds: string[];
  delegationId: string | null;
  uploaderName: string | null;
  canManage: boolean;
  versions: Array<{ id: string; revision: number; symbol: string; filename: string; size: number; at: string }>;
  reads: Array<{ name: string; at: string; via: string }> | null;
}

export interface Delegation {
  id: string;
  code: string;
  nameEn: string;
  nameJa: string;
  nameKo: string;
}

export type Result = { ok: true; done: string; symbol: string | null } | { ok: false; fieldErrors?: Record<string, Message[]> };

export interface ItemPapersProps {
  meetingId: string;
  agendaItemId: string;
  itemTitle: string;
  papers: PaperItemView[];
  canAdd: boolean;
  delegations: Delegation[];
  selfDelegationId: string | null;
  viewerZone: string;
  limitMb: number;
  defaultMarking: string;
  /** What a form posted without JavaScript did, when the page came back to this item. */
  notice?: PaperNotice | null;
}
