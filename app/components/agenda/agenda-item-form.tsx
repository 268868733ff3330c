import "~/components/every-page";
import { Link, useFetcher, useLocation, useNavigate, useSearchParams } from "@remix-run/react";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "~/components/i18n";
import { Field, FormErrors, SelectField } from "~/components/ui/field";
import { RichTextField } from "~/components/ui/rich-text-field";
import type { Message } from "~/lib/errors";
import { AGENDA_MARKINGS } from "~/lib/markings";
import { nameIn } from "~/lib/names";

export interface AgendaItemValues {
  title: string;
  description: string;
  kind: string;
  leadDelegationId: string | null;
  presenterId: string | null;
  minutes: number | string;
  marking: string;
  status?: string;
  version?: number;
}

interface Props {
  intent: "propose" | "update";
  itemId?: string;
  values: AgendaItemValues;
  special?: boolean;
  delegations: Array<{ id: string; code: string; nameEn: string; nameJa: string; nameKo: string }>;
  presenters: Array<{ id: string; name: string; delegationId: string | null }>;
  submitLabel: string;
  /** Shown after a refused save: what the server said, and what was typed. */
  failure?: { fieldErrors?: Record<string, Message[]>; submitted?: Record<string, string> } | null;
  fetcherKey: string;
}

/**
 * The agenda's item forms, loaded when one is opened (ADR 043's `loadWhenRendered`, ADR 058):
 * "Propose an item" on its button, an item's edit form when its `<details>` opens. The page
 * carries the buttons; without JavaScript the proposal form is the page `?propose=1`, rendered
 * by the server, and each edit form is in a `<noscript>` inside its `<details>`.
 */

interface ProposeProps extends Omit<Props, "intent" | "itemId" | "special" | "fetcherKey"> {
  titleId: string;
  /** Shown above the fields: the last proposal went through. */
  notice?: ReactNode;
  /** Changes after a proposal went through: the fields start again, empty. */
  resetKey: string;
  /** Opened by the button: focus moves into the first field. */
  focusOnOpen: boolean;
  /** On the page `?propose=1` (without JavaScript, or a shared link) rather than opened in place. */
  onPage: boolean;
  onClose: () => void;
}

/** The "Propose an item" form, with its heading and a way back (Cancel, Escape). */
export function ProposeForm({ titleId, notice, resetKey, focusOnOpen, onPage, onClose: closed, ...form }: ProposeProps) {
  const { t } = useTranslation("agenda");
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  // On the page `?propose=1`, closing goes back to the page without it (worked out here, in the
  // form's code, so that the page's first paint carries none of it).
  const without = new URLSearchParams(params);
  without.delete("propose");
  const closeHref = onPage ? `${location.pathname}${without.size ? `?${without}` : ""}` : null;
  const onClose = () => {
    if (closeHref) navigate(closeHref, { replace: true, preventScrollReset: true });
    closed();
  };
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focusOnOpen) root.current?.querySelector<HTMLElement>("input:not([type=hidden]), select, textarea")?.focus();
    // Only when it opens, not again after each proposal.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return (
    <div
      ref={root}
      onKeyDown={(event) => {
        if (event.key !== "Escape" || event.defaultPrevented) return;
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId}>{t("items.add")}</h2>
      {notice}
      <AgendaItemForm key={resetKey} intent="propose" fetcherKey="agenda-propose" {...form} />
      <p className="form-actions">
        {closeHref ? (
          <Link to={closeHref} replace preventScrollReset className="button" onClick={(event) => (event.preventDefault(), onClose())}>
            {t("common:actions.cancel")}
          </Link>
        ) : (
          <button type="button" className="button" onClick={onClose}>
            {t("common:actions.cancel")}
          </button>
        )}
      </p>
    </div>
  );
}

type Failure = {
  ok: false;
  fieldErrors?: Record<string, Message[]>;
  submitted?: Record<string, string>;
  conflict?: { current?: unknown; changedBy: { name: string } | null };
};

interface EditProps extends Omit<Props, "intent" | "submitLabel" | "failure" | "fetcherKey" | "values"> {
  itemId: string;
  values: AgendaItemValues & { version: number };
  failure: Failure | null;
  saved: boolean;
}

/** An item's edit form; after a refused save it opens again with the answer and what was typed. */
export function ItemEditForm({ itemId, values, failure, saved, ...form }: EditProps) {
  const { t } = useTranslation("agenda");
  return (
    <>
      {failure?.conflict ? (
        <div className="alert alert--warn" role="alert">
          <p>
            <strong>{t("conflict.title")}</strong>
          </p>
          <p>{t("conflict.body", { name: failure.conflict.changedBy?.name ?? "—" })}</p>
          <div className="conflict">
            <div>
              <h4>{t("conflict.theirs")}</h4>
              <pre>{summary(failure.conflict.current as Record<string, unknown>)}</pre>
            </div>
            <div>
              <h4>{t("conflict.yours")}</h4>
              <pre>{summary(failure.submitted ?? {})}</pre>
            </div>
          </div>
        </div>
      ) : null}
      {saved ? (
        <p className="alert alert--ok" role="status">
          {t("items.saved")}
        </p>
      ) : null}
      <AgendaItemForm
        // After a conflict the form starts again from the saved version, keeping what was typed.
        key={failure?.conflict ? `conflict-${values.version}` : itemId}
        intent="update"
        itemId={itemId}
        values={values}
        submitLabel={t("items.save")}
        failure={failure}
        fetcherKey={`item-${itemId}`}
        {...form}
      />
    </>
  );
}

function summary(values: Record<string, unknown>): string {
  return ["title", "kind", "minutes", "marking", "status"]
    .filter((k) => values[k] !== undefined)
    .map((k) => `${k}: ${String(values[k])}`)
    .join("\n");
}

/**
 * An agenda item's fields, submitted without leaving the page. The version is the one the
 * editing started from and does not follow live updates: a stale save gets the conflict view.
 */
export function AgendaItemForm({ intent, itemId, values, special, delegations, presenters, submitLabel, failure, fetcherKey }: Props) {
  const { t, locale } = useTranslation("agenda");
  const fetcher = useFetcher({ key: fetcherKey });
  // The version editing started from; live updates must not move it, or a stale save would overwrite.
  const [version] = useState(values.version);
  const errors = failure?.fieldErrors ?? null;
  const v = { ...values, ...(failure?.submitted ?? {}) };
  return (
    <fetcher.Form method="post" className="stack" noValidate>
      <FormErrors errors={errors} />
      <input type="hidden" name="intent" value={intent} />
      {itemId ? <input type="hidden" name="itemId" value={itemId} /> : null}
      {version ? <input type="hidden" name="version" value={version} /> : null}
      <Field label={t("fields.title")} name="title" defaultValue={v.title} errors={errors?.title} readOnly={special} />
      <RichTextField label={t("fields.description")} name="description" defaultValue={v.description} errors={errors?.description} />
      <div className="form-grid">
        <SelectField label={t("fields.kind")} name="kind" defaultValue={v.kind} errors={errors?.kind}>
          {(["information", "discussion", "decision", "standing"] as const).map((k) => (
            <option key={k} value={k}>
              {t(`kind.${k}`)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t("fields.lead")} name="leadDelegationId" defaultValue={v.leadDelegationId ?? ""} errors={errors?.leadDelegationId}>
          <option value="">{t("fields.noLead")}</option>
          {delegations.map((d) => (
            <option key={d.id} value={d.id}>
              {d.code} · {nameIn(d, locale)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t("fields.presenter")} name="presenterId" defaultValue={v.presenterId ?? ""} errors={errors?.presenterId}>
          <option value="">{t("fields.noPresenter")}</option>
          {presenters.map((p) => {
            const d = delegations.find((x) => x.id === p.delegationId);
            return (
              <option key={p.id} value={p.id}>
                {p.name}
                {d ? ` (${d.code})` : ""}
              </option>
            );
          })}
        </SelectField>
        <Field label={t("fields.minutes")} name="minutes" type="number" min={0} max={600} step={5} defaultValue={v.minutes} errors={errors?.minutes} />
        <SelectField label={t("fields.marking")} name="marking" defaultValue={v.marking} errors={errors?.marking}>
          {AGENDA_MARKINGS.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </SelectField>
        {intent === "update" ? (
          <SelectField label={t("fields.status")} name="status" defaultValue={v.status} errors={errors?.status}>
            {(["proposed", "agreed", "withdrawn"] as const)
              .filter((s) => !special || s !== "withdrawn")
              .map((s) => (
                <option key={s} value={s}>
                  {t(`status.${s}`)}
                </option>
              ))}
          </SelectField>
        ) : null}
      </div>
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={fetcher.state !== "idle"}>
          {submitLabel}
        </button>
      </div>
    </fetcher.Form>
  );
}
