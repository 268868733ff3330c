import { Form, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "~/components/i18n";
import { Field, FormErrors, SelectField } from "~/components/ui/field";
import type { Message } from "~/lib/errors";
import { nameIn } from "~/lib/names";
import type { DelegationView } from "~/lib/views";

export interface MeetingFormValues {
  ordinal: number | string;
  quarter?: string;
  title?: string;
  hostDelegationId?: string | null;
  date: string;
  time: string;
  endTime: string;
  timeZone: string;
  format: string;
  venue?: string;
  link?: string;
  version?: number;
}

interface Props {
  values: MeetingFormValues;
  delegations: DelegationView[];
  zones: string[];
  errors: Record<string, Message[]> | null;
  submitLabel: string;
  intent?: string;
}

/** The meeting's fields, shared by "plan" and "edit"; times are wall-clock times in the chosen zone. */
export function MeetingForm({ values, delegations, zones, errors, submitLabel, intent }: Props) {
  const { t, locale } = useTranslation("meetings");
  const busy = useNavigation().state === "submitting";
  // The version editing started from: a revalidation must not move it, or a stale save would overwrite.
  const [version] = useState(values.version);
  return (
    <Form method="post" noValidate className="stack">
      <FormErrors errors={errors} />
      {intent ? <input type="hidden" name="intent" value={intent} /> : null}
      {version ? <input type="hidden" name="version" value={version} /> : null}
      <div className="form-grid">
        <Field label={t("form.ordinal")} name="ordinal" type="number" min={1} max={999} required defaultValue={values.ordinal} errors={errors?.ordinal} />
        <Field label={t("form.quarter")} name="quarter" hint={t("form.quarterHint")} pattern="\d{4}-Q[1-4]" placeholder="2027-Q1" defaultValue={values.quarter ?? ""} errors={errors?.quarter} />
        <SelectField label={t("form.host")} name="hostDelegationId" defaultValue={values.hostDelegationId ?? ""} errors={errors?.hostDelegationId}>
          <option value="">{t("noHost")}</option>
          {delegations.map((d) => (
            <option key={d.id} value={d.id}>
              {d.code} · {nameIn(d, locale)}
            </option>
          ))}
        </SelectField>
      </div>
      <Field label={t("form.title")} name="title" hint={t("form.titleHint")} defaultValue={values.title ?? ""} errors={errors?.title} />
      <div className="form-grid">
        <Field label={t("form.date")} name="date" type="date" required defaultValue={values.date} errors={errors?.date} />
        <Field label={t("form.start")} name="time" type="time" required defaultValue={values.time} errors={errors?.time} />
        <Field label={t("form.end")} name="endTime" type="time" required defaultValue={values.endTime} errors={errors?.endTime} />
        <SelectField label={t("form.timeZone")} name="timeZone" hint={t("form.timeZoneHint")} defaultValue={values.timeZone} errors={errors?.timeZone}>
          {zones.map((z) => (
            <option key={z} value={z}>
              {z.replace(/_/g, " ")}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="form-grid">
        <SelectField label={t("form.format")} name="format" defaultValue={values.format} errors={errors?.format}>
          {(["in_person", "virtual", "hybrid"] as const).map((f) => (
            <option key={f} value={f}>
              {t(`format.${f}`)}
            </option>
          ))}
        </SelectField>
        <Field label={t("form.venue")} name="venue" defaultValue={values.venue ?? ""} errors={errors?.venue} />
        <Field label={t("form.link")} name="link" type="url" hint={t("form.linkHint")} defaultValue={values.link ?? ""} errors={errors?.link} />
      </div>
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {submitLabel}
        </button>
      </div>
    </Form>
  );
}
