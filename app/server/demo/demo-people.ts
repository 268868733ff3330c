import type { Role } from "#db/schema/index";

/** The demo's fixed points (PRODUCT.md): every account signs in with this password. */
export const DEMO_PASSWORD = "concord-demo";

export interface DemoPerson {
  email: string;
  name: string;
  role: Role;
  /** Delegation code in the Trilateral body, null for the secretariat. */
  delegation: "US" | "JP" | "KR" | null;
  timeZone?: string;
}

export const demoPeople: DemoPerson[] = [
  { email: "secretariat@concord.test", name: "Dana Whitfield", role: "secretariat", delegation: null, timeZone: "America/New_York" },
  { email: "us.head@concord.test", name: "Michael Reyes", role: "head", delegation: "US" },
  { email: "jp.head@concord.test", name: "佐藤 健一", role: "head", delegation: "JP" },
  { email: "kr.head@concord.test", name: "김민준", role: "head", delegation: "KR" },
  { email: "us.delegate@concord.test", name: "Sarah Chen", role: "delegate", delegation: "US" },
  { email: "jp.delegate@concord.test", name: "田中 美咲", role: "delegate", delegation: "JP" },
  { email: "kr.delegate@concord.test", name: "이서연", role: "delegate", delegation: "KR" },
  { email: "us.official@concord.test", name: "Robert Hayes", role: "official", delegation: "US" },
  { email: "jp.official@concord.test", name: "鈴木 大輔", role: "official", delegation: "JP" },
  { email: "kr.official@concord.test", name: "박지훈", role: "official", delegation: "KR" },
];

export const delegationTemplates = {
  US: { code: "US", nameEn: "United States", nameJa: "米国", nameKo: "미국", timeZone: "America/New_York", language: "en" },
  JP: { code: "JP", nameEn: "Japan", nameJa: "日本", nameKo: "일본", timeZone: "Asia/Tokyo", language: "ja" },
  KR: { code: "KR", nameEn: "Republic of Korea", nameJa: "韓国", nameKo: "대한민국", timeZone: "Asia/Seoul", language: "ko" },
} as const;

export const TRILATERAL = {
  slug: "trilateral-cyber",
  nameEn: "Trilateral Cyber Consultative Body",
  nameJa: "日米韓サイバー協議体",
  nameKo: "한미일 사이버 협의체",
  delegations: ["US", "JP", "KR"] as const,
};

export const CET = {
  slug: "cet-dialogue",
  nameEn: "Critical and Emerging Technologies Dialogue",
  nameJa: "重要・新興技術対話",
  nameKo: "핵심·신흥기술 대화",
  delegations: ["US", "KR"] as const,
};
