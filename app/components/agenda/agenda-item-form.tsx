import { useFetcher } from "@remix-run/react";
import { useState } from "react";
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
