import { Link, useFetcher } from "@remix-run/react";
import { formatDay } from "~/components/actions/due-date";
import { useTranslation } from "~/components/i18n";
import { meetingName } from "~/lib/meeting-names";
import { nameIn } from "~/lib/names";

export type WaitingView =
  | { kind: "agenda.concur"; meeting: MeetingRef; state: "pending" | "stale"; ready: boolean; hash: string }
  | { kind: "agenda.lock" | "minutes.adopt" | "invitation"; meeting: MeetingRef }
  | { kind: "minutes.approve"; meeting: MeetingRef; state: "pending" | "stale" }
  | { kind: "action"; item: { id: string; ref: number; title: string; shortened: boolean; dueOn: string; overdue: boolean; assigned: boolean } };

interface MeetingRef {
  id: string;
  ordinal: number;
  title: string | null;
}

interface BodyRef {
  nameEn: string;
  nameJa: string;
  nameKo: string;
}

interface Props {
  groups: Array<{ body: BodyRef; delegationName: string | null; entries: WaitingView[] }>;
  /** Name each body in front of its entries (the home across bodies). */
  showBody: boolean;
}

/** A head concurs from the list itself, with the agenda exactly as the list read it. */
function ConcurButton({ meetingId, hash, delegation }: { meetingId: string; hash: string; delegation: string }) {
  const { t } = useTranslation("body");
  const fetcher = useFetcher<{ ok: boolean }>({ key: `concur-${meetingId}` });
  return (
    <fetcher.Form method="post" action={`/meetings/${meetingId}/agenda`} className="waiting__action">
      <input type="hidden" name="intent" value="concur" />
      <input type="hidden" name="hash" value={hash} />
      <button type="submit" className="button button--small button--primary" disabled={fetcher.state !== "idle"}>
        {t("waiting.concur", { delegation })}
      </button>
      {fetcher.data && !fetcher.data.ok ? (
        <span className="field__errors" role="alert">
          {t("waiting.concurFailed")}
        </span>
      ) : null}
    </fetcher.Form>
  );
}

function Entry({ entry, delegationName }: { entry: WaitingView; delegationName: string | null }) {
  const { t, locale } = useTranslation("body");
  if (entry.kind === "action") {
    const date = formatDay(entry.item.dueOn, locale);
    return (
      <>
        <Link to={`/actions/${entry.item.id}`}>
          {t("actions:ref", { ref: entry.item.ref })} {entry.item.title}
          {entry.item.shortened ? <span className="visually-hidden">{` ${t("actions:list.shortened")}`}</span> : null}
        </Link>{" "}
        <span className={entry.item.overdue ? "due--overdue" : "muted"}>
          {entry.item.overdue ? t("waiting.overdue", { date }) : t("waiting.dueSoon", { date })}
          {entry.item.assigned ? ` · ${t("waiting.assignedToYou")}` : ""}
        </span>
      </>
    );
  }
  const meeting = meetingName(entry.meeting, t, locale);
  switch (entry.kind) {
    case "agenda.concur":
      return (
        <>
          <Link to={`/meetings/${entry.meeting.id}/agenda`}>{t(entry.state === "stale" ? "waiting.concurVoided" : "waiting.concurPending", { meeting })}</Link>
          {entry.ready && delegationName ? (
            <ConcurButton meetingId={entry.meeting.id} hash={entry.hash} delegation={delegationName} />
          ) : (
            <span className="muted small"> {t("waiting.notReady")}</span>
          )}
        </>
      );
    case "minutes.approve":
      return <Link to={`/meetings/${entry.meeting.id}/minutes`}>{t(entry.state === "stale" ? "waiting.approveVoided" : "waiting.approvePending", { meeting })}</Link>;
    case "agenda.lock":
      return <Link to={`/meetings/${entry.meeting.id}/agenda`}>{t("waiting.lock", { meeting })}</Link>;
    case "minutes.adopt":
      return <Link to={`/meetings/${entry.meeting.id}/minutes`}>{t("waiting.adopt", { meeting })}</Link>;
    case "invitation":
      return <Link to={`/meetings/${entry.meeting.id}`}>{t("waiting.invitation", { meeting })}</Link>;
  }
}

/** "Waiting for you": what the person is asked to do, body by body. */
export function WaitingList({ groups, showBody }: Props) {
  const { t, locale } = useTranslation("body");
  const total = groups.reduce((n, g) => n + g.entries.length, 0);
  return (
    <section aria-labelledby="waiting-title" className="card waiting">
      <h2 id="waiting-title">{t("waiting.title")}</h2>
      {total === 0 ? (
        <p className="muted">{t("waiting.nothing")}</p>
      ) : (
        groups
          .filter((g) => g.entries.length > 0)
          .map((g, i) => (
            <div key={i}>
              {showBody ? <h3 className="waiting__body">{nameIn(g.body, locale)}</h3> : null}
              <ul className="plain-list waiting__list" role="list">
                {g.entries.map((entry, j) => (
                  <li key={j} className="waiting__entry">
                    <Entry entry={entry} delegationName={g.delegationName} />
                  </li>
                ))}
              </ul>
            </div>
          ))
      )}
    </section>
  );
}
