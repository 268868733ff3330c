import { Link } from "@remix-run/react";
import { Fragment, type ReactNode } from "react";
import { formatDay } from "~/components/actions/due-date";
import { useTranslation } from "~/components/i18n";
import { Time } from "~/components/time";
import type { TFunction } from "~/lib/i18n";
import { meetingName, quarterLabel } from "~/lib/meeting-names";
import { nameIn } from "~/lib/names";

type Json = Record<string, unknown> | null;

export interface AuditEventView {
  id: number;
  action: string;
  entityType: string;
  entityId: string;
  before: Json;
  after: Json;
  at: string;
  actorName: string | null;
  record: {
    kind: string;
    meeting?: { id: string; ordinal: number; title: string | null } | null;
    name?: string | null;
    ref?: number | null;
    href?: string | null;
  };
}

export interface AuditContext {
  people: Record<string, string>;
  delegations: Array<{ id: string; code: string; nameEn: string; nameJa: string; nameKo: string }>;
  timeZone: string;
}

/** Fields that identify rather than describe: shown only in the details disclosure. */
const TECHNICAL = new Set(["ref", "id", "hash", "sha256", "concurrenceId", "versionId", "revision", "sequence", "position", "amendment", "slug", "version"]);
/** Fields whose value is rich text: the trail says it changed, the record shows how. */
const RICH = new Set(["description", "detail", "text"]);
/** Each status field's translations, by the kind of record it belongs to. */
const STATUS_NS: Record<string, string> = { meeting: "meetings:status", agenda_item: "agenda:status", action_item: "actions:status", minutes: "minutes:status", membership: "members:status" };

/** A translation, or `fallback` when the catalogue has no such key (a new action, a new field). */
function or_(t: TFunction, key: string, values: Record<string, string | number> | undefined, fallback: string): string {
  const text = t(key, values);
  return text === key ? fallback : text;
}

/** Replaces `{{actor}}` and `{{record}}` in a translated sentence with elements (a link, a name). */
function sentence(text: string, parts: Record<string, ReactNode>): ReactNode {
  const pieces = text.split(/(\u0000[a-z]+\u0000)/);
  return pieces.map((piece, i) => {
    const name = /^\u0000([a-z]+)\u0000$/.exec(piece)?.[1];
    return <Fragment key={i}>{name ? parts[name] : piece}</Fragment>;
  });
}

function recordName(record: AuditEventView["record"], t: TFunction, locale: "en" | "ja" | "ko"): string {
  const meeting = record.meeting ? meetingName(record.meeting, t, locale) : null;
  switch (record.kind) {
    case "meeting":
    case "agenda":
    case "minutes":
    case "invitation":
    case "minutes_comment":
      return meeting ?? t("audit:record.unknownMeeting");
    case "agenda_item":
      return meeting ? t("audit:record.agendaItem", { title: record.name ?? "—", meeting }) : (record.name ?? "—");
    case "action_item":
      return record.ref ? `${t("actions:ref", { ref: record.ref })} ${record.name ?? ""}`.trim() : (record.name ?? "—");
    default:
      return record.name ?? or_(t, `audit:types.${record.kind}`, undefined, record.kind);
  }
}

/** A field's value for people: names for ids, translated states, times in the reader's zone. */
function useValue(entityType: string, context: AuditContext) {
  const { t, locale } = useTranslation("audit");
  const delegation = (id: unknown) => {
    const d = context.delegations.find((x) => x.id === id);
    return d ? `${d.code} · ${nameIn(d, locale)}` : t("none");
  };
  return (key: string, value: unknown): ReactNode => {
    if (value === null || value === undefined || value === "") return t("none");
    if (RICH.has(key)) return t("changedText");
    if (/DelegationId$|^delegationId$/.test(key)) return delegation(value);
    if (/^(presenterId|userId|assigneeId)$/.test(key)) return context.people[String(value)] ?? t("someone");
    if (key === "assigneeIds" && Array.isArray(value)) return value.length ? value.map((v) => context.people[String(v)] ?? t("someone")).join(", ") : t("none");
    if (key === "status") return or_(t, `${STATUS_NS[entityType] ?? "audit:status"}.${value}`, undefined, String(value));
    if (key === "state") return or_(t, `audit:states.${value}`, undefined, String(value));
    if (key === "kind") return or_(t, `agenda:kind.${value}`, undefined, String(value));
    if (key === "format") return or_(t, `meetings:format.${value}`, undefined, String(value));
    if (key === "quarter" && typeof value === "string" && /^\d{4}-Q[1-4]$/.test(value)) return quarterLabel(value, t);
    if (key === "role") return or_(t, `common:roles.${value}`, undefined, String(value));
    if (key === "response") return or_(t, `meetings:response.${value}`, undefined, String(value));
    if (key === "priority") return or_(t, `actions:priority.${value}`, undefined, String(value));
    if (key === "locale" || key === "workingLanguage") return or_(t, `audit:languages.${value}`, undefined, String(value));
    if (key === "notifications") return or_(t, `settings:notifications.choice.${value}`, undefined, String(value));
    if (typeof value === "boolean") return value ? t("yes") : t("no");
    if (/(minutes|Minutes)$/.test(key) && typeof value === "number") return t("minutes", { count: value });
    // An instant as an element: server and browser ICU may word it differently at hydration.
    if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return <Time value={value} zone={context.timeZone} />;
    if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDay(value, locale);
    return typeof value === "string" ? value : JSON.stringify(value);
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** One event as a sentence, what changed (field labels, before → after), and the ids behind a disclosure. */
export function AuditEvent({ event, context }: { event: AuditEventView; context: AuditContext }) {
  const { t, locale } = useTranslation("audit");
  const value = useValue(event.entityType, context);
  const before = event.before ?? {};
  const after = event.after ?? {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const isReference = (k: string) => /Id$/.test(k) && !/DelegationId$|^delegationId$|^presenterId$|^userId$/.test(k);
  const readable = keys.filter((k) => !TECHNICAL.has(k) && !isReference(k) && k !== "reason");
  // A change lists what differs; a creation lists what was given (empty fields say nothing).
  const changed = event.before ? readable.filter((k) => !same(before[k], after[k])) : readable.filter((k) => after[k] !== null && after[k] !== undefined && after[k] !== "");
  const technical = keys.filter((k) => !readable.includes(k) && k !== "reason");
  const reason = typeof after.reason === "string" ? after.reason : null;

  const name = recordName(event.record, t, locale);
  const actor = <strong>{event.actorName ?? t("system")}</strong>;
  const record = event.record.href ? <Link to={event.record.href}>{name}</Link> : <span>{name}</span>;
  const key = `audit:actions.${event.action}`;
  const text = or_(t, key, { actor: "\u0000actor\u0000", record: "\u0000record\u0000" }, "");
  const fallback = t("audit:actions.unknown", { actor: "\u0000actor\u0000", record: "\u0000record\u0000" });

  return (
    <article className="audit-event">
      <p className="audit-event__sentence">{sentence(text || fallback, { actor, record })}</p>
      <p className="muted small">
        <Time value={event.at} zone={context.timeZone} />
      </p>
      {reason ? (
        <p className="audit-event__reason">
          {t("reason")}: {reason}
        </p>
      ) : null}
      {changed.length ? (
        <dl className="changes">
          {changed.map((k) => (
            <div key={k}>
              <dt>{or_(t, `audit:fields.${k}`, undefined, k)}</dt>
              <dd>
                {event.before && k in before ? (
                  <>
                    <del>{value(k, before[k])}</del> <span aria-hidden="true">→</span>
                    <span className="visually-hidden">{t("becomes")}</span>{" "}
                  </>
                ) : null}
                <ins>{value(k, after[k])}</ins>
              </dd>
            </div>
          ))}
        </dl>
      ) : null}
      <details className="audit-event__details">
        <summary>{t("details")}</summary>
        <dl className="changes changes--technical">
          <div>
            <dt>{t("detail.action")}</dt>
            <dd>
              <code>{event.action}</code>
            </dd>
          </div>
          <div>
            <dt>{t("detail.record")}</dt>
            <dd>
              <code>
                {event.entityType} {event.entityId}
              </code>
            </dd>
          </div>
          <div>
            <dt>{t("detail.at")}</dt>
            <dd>
              <code>{event.at}</code>
            </dd>
          </div>
          {technical.map((k) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>
                <code>
                  {event.before && k in before ? `${JSON.stringify(before[k])} → ` : ""}
                  {JSON.stringify(after[k] ?? null)}
                </code>
              </dd>
            </div>
          ))}
        </dl>
      </details>
    </article>
  );
}
