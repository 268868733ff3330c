import { useFetcher } from "@remix-run/react";
import { useState } from "react";
import { DelegationBadge } from "~/components/delegation-badge";
import { useTranslation } from "~/components/i18n";
import { Marking } from "~/components/marking";
import { Time } from "~/components/time";
import { ErrorList, TextareaField } from "~/components/ui/field";
import { isStamped } from "~/lib/markings";
import { loadWhenRendered } from "~/components/ui/load-when-rendered";
import type { Delegation, ItemPapersProps, PaperItemView, Result } from "./paper-types";

export type { PaperItemView } from "./paper-types";

const megabytes = (bytes: number) => (Math.max(bytes, 1) / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 2 : 1);

// The upload forms: loaded when one opens (ADR 043); the one in <noscript> only on the server.
const UploadForm = loadWhenRendered(() => import("./paper-upload-form").then((m) => m.UploadForm));
const PlainUploadForm = loadWhenRendered(() => import("./paper-upload-form").then((m) => m.PlainUploadForm));

/** An agenda item's papers: download links, versions, receipts for the secretariat, and "Add a paper". */
export function ItemPapers(props: ItemPapersProps) {
  const { t } = useTranslation("papers");
  const [open, setOpen] = useState(false);
  const notice = props.notice?.itemId === props.agendaItemId ? props.notice : null;
  const headingId = `papers-${props.agendaItemId}`;
  return (
    <section className="papers" aria-labelledby={headingId}>
      <h3 id={headingId} className="papers__title">
        {t("title")}
      </h3>
      {props.papers.length ? (
        <ul className="plain-list papers__list">
          {props.papers.map((p) => (
            <PaperRow key={p.id} paper={p} {...props} />
          ))}
        </ul>
      ) : (
        <p className="muted small">{t("none")}</p>
      )}
      {notice?.done ? (
        <p role="status" className="alert alert--ok small">
          {t(`notice.${notice.done}`, { symbol: notice.symbol ?? "" })}
        </p>
      ) : null}
      {notice?.errors.length ? (
        <div role="alert" className="alert alert--error small">
          <ErrorList errors={notice.errors} />
        </div>
      ) : null}
      {props.canAdd ? (
        <>
          <button type="button" className="button button--small no-print" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
            {t("add")}
          </button>
          {open ? <UploadForm {...props} onDone={() => setOpen(false)} /> : null}
          {/* Without JavaScript: the same form, posted as it is and streamed by the server. */}
          <noscript>
            <PlainUploadForm {...props} />
          </noscript>
        </>
      ) : null}
    </section>
  );
}

function PaperRow({ paper, delegations, viewerZone, ...props }: { paper: PaperItemView; delegations: Delegation[]; viewerZone: string } & ItemPapersProps) {
  const { t } = useTranslation("papers");
  const [current, ...older] = paper.versions;
  const from = delegations.find((d) => d.id === paper.delegationId);
  const [revising, setRevising] = useState(false);
  const withdrawer = useFetcher<Result>();
  return (
    <li className="paper" id={`papers-${paper.id}`}>
      <div className="row">
        <a href={`/papers/${paper.id}/download`} download aria-label={t("download", { symbol: paper.symbol, title: paper.title })}>
          <strong>{paper.symbol}</strong> {paper.title}
        </a>
        <Marking value={paper.marking} />
        {paper.marking === "TLP:AMBER+STRICT"
          ? paper.delegationIds.map((id) => {
              const d = delegations.find((x) => x.id === id);
              return d ? <DelegationBadge key={id} delegation={d} short /> : null;
            })
          : null}
      </div>
      <p className="muted small">
        {current ? `${current.filename} · ${t("size", { size: megabytes(current.size) })}` : null}
        {from ? <> · <DelegationBadge delegation={from} short /></> : null}
        {paper.uploaderName ? ` · ${t("by", { name: paper.uploaderName })}` : null}
        {isStamped(paper.marking) ? ` · ${t("stampedNote")}` : null}
      </p>
      {older.length ? (
        <details className="small">
          <summary>{t("versions")}</summary>
          <ul className="plain-list">
            {older.map((v) => (
              <li key={v.id}>
                <a href={`/papers/${paper.id}/download?version=${v.id}`} download>
                  {v.symbol}
                </a>{" "}
                <Time value={v.at} zone={viewerZone} />
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {paper.reads ? (
        <details className="small">
          <summary>{t("reads.title")}</summary>
          {paper.reads.length ? (
            <ul className="plain-list" aria-label={t("reads.title")}>
              {paper.reads.map((r, i) => (
                <li key={i}>
                  {r.name}, <Time value={r.at} zone={viewerZone} />
                  {r.via === "book" ? ` (${t("book.link")})` : null}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">{t("reads.none")}</p>
          )}
        </details>
      ) : null}
      {paper.canManage ? (
        <div className="row no-print">
          <button type="button" className="button button--small" aria-expanded={revising} onClick={() => setRevising((r) => !r)}>
            {t("newVersion")}
          </button>
          <details>
            <summary className="button button--small">{t("withdraw")}</summary>
            <withdrawer.Form method="post" action={`/meetings/${props.meetingId}/papers?item=${paper.agendaItemId}`} className="stack">
              <input type="hidden" name="intent" value="withdraw" />
              <input type="hidden" name="paperId" value={paper.id} />
              <TextareaField label={t("withdrawReason")} name="reason" rows={2} required errors={withdrawer.data && !withdrawer.data.ok ? withdrawer.data.fieldErrors?.reason : null} />
              <button type="submit" className="button button--danger">
                {t("withdrawConfirm", { symbol: paper.symbol })}
              </button>
            </withdrawer.Form>
          </details>
        </div>
      ) : null}
      {revising ? <UploadForm {...props} delegations={delegations} viewerZone={viewerZone} paper={paper} onDone={() => setRevising(false)} /> : null}
    </li>
  );
}
