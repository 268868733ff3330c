import "~/components/every-page";
import { useRevalidator } from "@remix-run/react";
import { useRef, useState, type FormEvent } from "react";
import { useTranslation } from "~/components/i18n";
import { DelegationBadge } from "~/components/delegation-badge";
import { ErrorList, Field, FormErrors, SelectField } from "~/components/ui/field";
import type { Message } from "~/lib/errors";
import { MARKINGS } from "~/lib/markings";
import type { Delegation, ItemPapersProps, PaperItemView, Result } from "./paper-types";

/** Adding a paper or a new version of one: the forms behind "Add a paper" (loaded when opened, ADR 043). */

type UploadState = { phase: "idle" } | { phase: "sending"; sent: number; total: number } | { phase: "failed"; result: Extract<Result, { ok: false }> };

/**
 * With JavaScript: the form is sent with XMLHttpRequest, whose upload events give the progress
 * bar (fetch has none); the server streams it exactly as a plain form post.
 */
export function UploadForm({ meetingId, agendaItemId, delegations, selfDelegationId, limitMb, defaultMarking, paper, onDone }: ItemPapersProps & { paper?: PaperItemView; onDone: () => void }) {
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
export function PlainUploadForm({ meetingId, agendaItemId, delegations, selfDelegationId, limitMb, defaultMarking }: ItemPapersProps) {
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
