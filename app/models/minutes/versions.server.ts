import { and, desc, eq } from "drizzle-orm";
import * as Y from "yjs";
import { bodies, minutesVersions, users } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { db } from "~/lib/db.server";
import { lazyRequire } from "~/lib/lazy-require.server";
import { NotFoundError } from "~/lib/errors";
import { docToJSON, jsonToHTML, jsonToText } from "~/lib/minutes-doc.server";
import { getT } from "~/lib/i18n.server";
import { audienceFor } from "~/models/core/audience.server";
import { getMeetingForMember } from "~/models/core/scope.server";
import { chipsAsSeen } from "~/models/minutes/chips.server";
import { assertMinutesAudience } from "~/models/minutes/access.server";
import { currentMinutes } from "~/models/minutes/preview.server";

export type DiffPart = { value: string; added?: boolean; removed?: boolean };

async function versionOf(meetingId: string, versionId: string) {
  const [version] = await db()
    .select({ id: minutesVersions.id, kind: minutesVersions.kind, at: minutesVersions.at, state: minutesVersions.state, by: users.name, label: minutesVersions.label })
    .from(minutesVersions)
    .leftJoin(users, eq(users.id, minutesVersions.createdBy))
    .where(and(eq(minutesVersions.id, versionId), eq(minutesVersions.meetingId, meetingId)));
  if (!version) throw new NotFoundError("version");
  const doc = new Y.Doc();
  Y.applyUpdateV2(doc, new Uint8Array(version.state));
  return { ...version, json: docToJSON(doc) };
}

/**
 * One saved version, as HTML, and (when asked) the word-by-word difference between it and
 * the current text (`compare=current`) or another version (`compare=<id>`), always from the
 * older text to the newer, so that additions are what came later.
 */
export async function getMinutesVersion({ actor, meetingId, versionId, compare }: { actor: Actor; meetingId: string; versionId: string; compare: string | null }) {
  const { meeting, member } = await getMeetingForMember(db(), actor, meetingId);
  await assertMinutesAudience(db(), member, meeting);
  const [{ workingLanguage }] = await db().select({ workingLanguage: bodies.workingLanguage }).from(bodies).where(eq(bodies.id, meeting.bodyId));
  // Chips outside the reader's TLP audience are placeholders here too (ADR 037 addendum).
  const { seen } = await chipsAsSeen(db(), meetingId, await audienceFor(db(), member, meeting.id), getT(workingLanguage)("minutes:chipRestricted"));
  const version = await versionOf(meetingId, versionId);
  version.json = seen(version.json);
  const others = await db()
    .select({ id: minutesVersions.id, kind: minutesVersions.kind, at: minutesVersions.at })
    .from(minutesVersions)
    .where(eq(minutesVersions.meetingId, meetingId))
    .orderBy(desc(minutesVersions.at));

  let diff: { against: "current" | { id: string; kind: string; at: Date }; newer: boolean; parts: DiffPart[] } | null = null;
  const text = jsonToText(version.json);
  if (compare === "current" || compare === "1") {
    const current = jsonToText(seen(await currentMinutes(meetingId)));
    diff = { against: "current", newer: true, parts: partsOf(text, current) };
  } else if (compare && compare !== version.id) {
    const other = await versionOf(meetingId, compare);
    const newer = other.at.getTime() >= version.at.getTime();
    const otherText = jsonToText(seen(other.json));
    diff = { against: { id: other.id, kind: other.kind, at: other.at }, newer, parts: newer ? partsOf(text, otherText) : partsOf(otherText, text) };
  }
  const [body] = await db().select({ slug: bodies.slug }).from(bodies).where(eq(bodies.id, meeting.bodyId));
  return {
    bodySlug: body.slug,
    meeting,
    version: { id: version.id, kind: version.kind, at: version.at, by: version.by, label: version.label },
    html: await jsonToHTML(version.json),
    others: others.filter((o) => o.id !== version.id),
    diff,
  };
}

// Only the version comparison page needs it.
const diffLibrary = lazyRequire<typeof import("diff")>("diff");

function partsOf(older: string, newer: string): DiffPart[] {
  return diffLibrary().diffWords(older, newer).map((part) => ({ value: part.value, added: part.added || undefined, removed: part.removed || undefined }));
}
