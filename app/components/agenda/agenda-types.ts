export interface AgendaItemView {
  id: string;
  title: string;
  description: string;
  kind: string;
  special: "minutes_adoption" | "action_review" | null;
  leadDelegationId: string | null;
  presenterId: string | null;
  minutes: number;
  marking: string;
  status: "proposed" | "agreed" | "withdrawn";
  version: number;
  /** Outside the reader's TLP audience: only its place, kind, marking and minutes are known. */
  restricted: boolean;
}

export interface Delegation {
  id: string;
  code: string;
  nameEn: string;
  nameJa: string;
  nameKo: string;
}
