import { Form, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "~/components/i18n";
import { Field, FormErrors, SelectField } from "~/components/ui/field";
import { RichTextField } from "~/components/ui/rich-text-field";
import type { Message } from "~/lib/errors";
import { MARKINGS } from "~/lib/markings";
import { meetingName } from "~/lib/meeting-names";
import { nameIn } from "~/lib/names";

export interface ActionFormValues {
  title: string;
  detail: string;
  ownerDelegationId: string;
  assigneeIds: string[];
  dueKind: "date" | "next_meeting";
  dueDate: string;
  priority: string;
  marking: string;
  originMeetingId: string;
  originAgendaItemId?: string;
  version?: number;
}

interface Props {
  values: ActionFormValues;
  delegations: Array<{ id: string; code: string; nameEn: string; nameJa: string; nameKo: string }>;
  people: Array<{ userId: string; name: string; delegationId: string | null }>;
  meetings: Array<{ id: string; ordinal: number; title: string | null; status: string }>;
  errors: Record<string, Message[]> | null;
  submitLabel: string;
}

/** An action item's fields, for creating and editing. */
export function ActionForm({ values, delegations, people, meetings, errors, submitLabel }: Props) {
  const { t, locale } = useTranslation("actions");
  const [dueKind, setDueKind] = useState(values.dueKind);
  // The version editing started from: a revalidation must not move it, or a stale save would overwrite.
  const [version] = useState(values.version);
  const busy = useNavigation().state === "submitting";
  return (
    <Form method="post" noValidate className="stack">
      <FormErrors errors={errors} />
      {version ? <input type="hidden" name="version" value={version} /> : null}
      {values.originAgendaItemId ? <input type="hidden" name="originAgendaItemId" value={values.originAgendaItemId} /> : null}
      <Field label={t("fields.title")} name="title" defaultValue={values.title} errors={errors?.title} />
      <RichTextField label={t("fields.detail")} name="detail" defaultValue={values.detail} errors={errors?.detail} />
      <div className="form-grid">
        <SelectField label={t("fields.owner")} name="ownerDelegationId" defaultValue={values.ownerDelegationId} errors={errors?.ownerDelegationId}>
          {delegations.map((d) => (
            <option key={d.id} value={d.id}>
              {d.code} · {nameIn(d, locale)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t("fields.assignees")} name="assigneeIds" multiple size={Math.min(6, Math.max(3, people.length))} defaultValue={values.assigneeIds} hint={t("fields.assigneesHint")} errors={errors?.assigneeIds}>
          {people.map((p) => {
            const d = delegations.find((x) => x.id === p.delegationId);
            return (
              <option key={p.userId} value={p.userId}>
                {p.name}
                {d ? ` (${d.code})` : ""}
              </option>
            );
          })}
        </SelectField>
      </div>
      <fieldset>
        <legend>{t("fields.dueKind")}</legend>
        <div className="row">
          <label className="checkbox">
            <input type="radio" name="dueKind" value="date" checked={dueKind === "date"} onChange={() => setDueKind("date")} />
            <span>{t("fields.dueOnDate")}</span>
          </label>
          <label className="checkbox">
            <input type="radio" name="dueKind" value="next_meeting" checked={dueKind === "next_meeting"} onChange={() => setDueKind("next_meeting")} />
            <span>{t("fields.dueNextMeeting")}</span>
          </label>
        </div>
        {dueKind === "date" ? (
          <Field label={t("fields.dueDate")} name="dueDate" type="date" defaultValue={values.dueDate} errors={errors?.dueDate} />
        ) : (
          <p className="field__hint">{t("fields.dueNextMeetingHint")}</p>
        )}
      </fieldset>
      <div className="form-grid">
        <SelectField label={t("fields.priority")} name="priority" defaultValue={values.priority} errors={errors?.priority}>
          {(["high", "normal", "low"] as const).map((p) => (
            <option key={p} value={p}>
              {t(`priority.${p}`)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t("fields.marking")} name="marking" defaultValue={values.marking} errors={errors?.marking}>
          {MARKINGS.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </SelectField>
        <SelectField label={t("fields.origin")} name="originMeetingId" defaultValue={values.originMeetingId} errors={errors?.originMeetingId}>
          <option value="">{t("fields.originNone")}</option>
          {meetings.map((m) => (
            <option key={m.id} value={m.id}>
              {meetingName(m, t, locale)}
              {m.status === "cancelled" ? ` (${t("meetings:status.cancelled")})` : ""}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {submitLabel}
        </button>
      </div>
    </Form>
  );
}
