import { useFetcher, useRevalidator } from "@remix-run/react";
import { useRef, useState, type FormEvent } from "react";
import { DelegationBadge } from "~/components/delegation-badge";
import { useTranslation } from "~/components/i18n";
import { Marking } from "~/components/marking";
import { Time } from "~/components/time";
import { ErrorList, Field, FormErrors, SelectField, TextareaField } from "~/components/ui/field";
import type { Message } from "~/lib/errors";
import { isStamped, MARKINGS } from "~/lib/markings";
import type { PaperNotice } from "~/lib/paper-notice";

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

interface Delegation {
  id: string;
  code: string;
  nameEn: string;
  nameJa: string;
  nameKo: string;
}

type Result = { ok: true; done: string; symbol: string | null } | { ok: false; fieldErrors?: Record<string, Message[]> };

const megabytes = (bytes: number) => (Math.max(bytes, 1) / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 2 : 1);

/** An agenda item's papers: download links, versions, receipts for the secretariat, and "Add a paper". */
export function ItemPapers(props: {
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
}) {
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

function PaperRow({ paper, delegations, viewerZone, ...props }: { paper: PaperItemView; delegations: Delegation[]; viewerZone: string } & Parameters<typeof ItemPapers>[0]) {
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

type UploadState = { phase: "idle" } | { phase: "sending"; sent: number; total: number } | { phase: "failed"; result: Extract<Result, { ok: false }> };

/**
 * With JavaScript: the form is sent with XMLHttpRequest, whose upload events give the progress
 * bar (fetch has none); the server streams it exactly as a plain form post.
 */
function UploadForm({ meetingId, agendaItemId, delegations, selfDelegationId, limitMb, defaultMarking, paper, onDone }: Parameters<typeof ItemPapers>[0] & { paper?: PaperItemView; onDone: () => void }) {
  const { t } = useTranslation("papers");
  const revalidator = useRevalidator();
  const [marking, setMarking] = useState(paper?.marking ?? defaultMarking);
  const [state, setState] = useState<UploadState>({ phase: "idle" });
  const form = useRef<HTMLFormElement>(null);
  const failure = state.phase === "failed" ? state.result : null;
  const busy = state.phase === "sending";
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const request = new XMLHttpRequest();
    request.open("POST", `/meetings/${meetingId}/papers`);
    request.setRequestHeader("Accept", "application/json");
    request.upload.onprogress = (e) => setState({ phase: "sending", sent: e.loaded, total: e.lengthComputable ? e.total : 0 });
    request.onload = () => {
      let result: Result;
      try {
        result = JSON.parse(request.responseText) as Result;
      } catch {
        result = { ok: false, fieldErrors: { "": [{ key: "papers:errors.failed" }] } };
      }
      if (result.ok) {
        setState({ phase: "idle" });
        form.current?.reset();
        revalidator.revalidate();
        onDone();
      } else setState({ phase: "failed", result });
    };
    request.onerror = () => setState({ phase: "failed", result: { ok: false, fieldErrors: { "": [{ key: "papers:errors.failed" }] } } });
    setState({ phase: "sending", sent: 0, total: 0 });
    request.send(data);
  };
  return (
    <form ref={form} method="post" encType="multipart/form-data" action={`/meetings/${meetingId}/papers?item=${agendaItemId}`} onSubmit={onSubmit} className="stack paper-form" aria-label={paper ? t("newVersionOf", { symbol: paper.symbol }) : t("add")}>
      <UploadFields agendaItemId={agendaItemId} paper={paper} limitMb={limitMb} errors={failure?.fieldErrors} marking={marking} onMarking={setMarking} delegations={delegations} selfDelegationId={selfDelegationId} />
      {state.phase === "sending" ? (
        <p className="small">
          <progress max={state.total || undefined} value={state.total ? state.sent : undefined} aria-label={t("progress")} />{" "}
          {state.total ? t("progressText", { percent: Math.floor((state.sent / state.total) * 100) }) : null}
        </p>
      ) : null}
      <button type="submit" className="button button--primary" disabled={busy}>
        {busy ? t("uploading") : t("upload")}
      </button>
    </form>
  );
}

/** Without JavaScript: a plain multipart form; the server sends the page back to this item with the outcome. */
function PlainUploadForm({ meetingId, agendaItemId, delegations, selfDelegationId, limitMb, defaultMarking }: Parameters<typeof ItemPapers>[0]) {
  const { t } = useTranslation("papers");
  return (
    <form method="post" encType="multipart/form-data" action={`/meetings/${meetingId}/papers?item=${agendaItemId}`} className="stack paper-form" aria-label={t("add")}>
      <UploadFields agendaItemId={agendaItemId} limitMb={limitMb} marking={defaultMarking} delegations={delegations} selfDelegationId={selfDelegationId} always />
      <button type="submit" className="button button--primary">
        {t("upload")}
      </button>
    </form>
  );
}

function UploadFields({
  agendaItemId,
  paper,
  limitMb,
  errors,
  marking,
  onMarking,
  delegations,
  selfDelegationId,
  always = false,
}: {
  agendaItemId: string;
  paper?: PaperItemView;
  limitMb: number;
  errors?: Record<string, Message[]>;
  marking: string;
  onMarking?: (marking: string) => void;
  delegations: Delegation[];
  selfDelegationId: string | null;
  /** Show the delegations for AMBER+STRICT whatever the marking (no script to show them when chosen). */
  always?: boolean;
}) {
  const { t } = useTranslation("papers");
  return (
    <>
      <input type="hidden" name="agendaItemId" value={agendaItemId} />
      {paper ? <input type="hidden" name="paperId" value={paper.id} /> : null}
      <FormErrors errors={errors} />
      <Field label={t("fields.title")} name="title" required defaultValue={paper?.title ?? ""} errors={errors?.title} />
      <Field label={t("fields.file")} name="file" type="file" required accept=".pdf,.docx,.xlsx,.pptx,.png,.jpg,.jpeg,.gif,.webp" hint={t("fields.fileHint", { size: limitMb })} errors={errors?.file} />
      {onMarking ? (
        <SelectField label={t("fields.marking")} name="marking" value={marking} onChange={(e) => onMarking(e.target.value)} errors={errors?.marking}>
          {MARKINGS.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </SelectField>
      ) : (
        <SelectField label={t("fields.marking")} name="marking" defaultValue={marking} errors={errors?.marking}>
          {MARKINGS.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </SelectField>
      )}
      {always || marking === "TLP:AMBER+STRICT" ? (
        <fieldset className="fieldset">
          <legend>{t("fields.delegations")}</legend>
          <p className="field__hint">{t("fields.strictHint")}</p>
          {delegations.map((d) => (
            <label key={d.id} className="checkbox">
              <input type="checkbox" name="delegationIds" value={d.id} defaultChecked={d.id === selfDelegationId || paper?.delegationIds.includes(d.id)} disabled={d.id === selfDelegationId} />{" "}
              <DelegationBadge delegation={d} />
            </label>
          ))}
          <ErrorList errors={errors?.delegationIds} />
        </fieldset>
      ) : null}
    </>
  );
}
