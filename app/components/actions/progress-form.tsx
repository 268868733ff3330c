import { Form, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "~/components/i18n";
import { FormErrors, SelectField, TextareaField } from "~/components/ui/field";
import type { Message } from "~/lib/errors";
import { meetingName } from "~/lib/meeting-names";

interface Props {
  version: number;
  status: "open" | "in_progress" | "done" | "dropped";
  allowDrop: boolean;
  meetings: Array<{ id: string; ordinal: number; title: string | null }>;
  meetingId?: string;
  errors?: Record<string, Message[]> | null;
  itemId?: string;
  /** What was typed before a refusal, shown again. */
  submitted?: Record<string, string> | null;
}

/** Status, a note, and (optionally) the meeting this is the item's review at. */
export function ProgressForm({ version, status, allowDrop, meetings, meetingId, errors, itemId, submitted }: Props) {
  const { t, locale } = useTranslation("actions");
  const busy = useNavigation().state === "submitting";
  const [startedFrom] = useState(version);
  const statuses = (["open", "in_progress", "done", "dropped"] as const).filter((s) => allowDrop || s !== "dropped" || status === "dropped");
  return (
    <Form method="post" className="stack" noValidate>
      <FormErrors errors={errors} />
      <input type="hidden" name="intent" value="progress" />
      <input type="hidden" name="version" value={startedFrom} />
      {itemId ? <input type="hidden" name="itemId" value={itemId} /> : null}
      <div className="form-grid">
        <SelectField label={t("fields.status")} name="status" defaultValue={submitted?.status ?? status} errors={errors?.status}>
          {statuses.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </SelectField>
        {meetingId ? (
          <input type="hidden" name="meetingId" value={meetingId} />
        ) : (
          <SelectField label={t("fields.reviewedAt")} name="meetingId" defaultValue="" errors={errors?.meetingId}>
            <option value="">{t("fields.reviewedNone")}</option>
            {meetings.map((m) => (
              <option key={m.id} value={m.id}>
                {meetingName(m, t, locale)}
              </option>
            ))}
          </SelectField>
        )}
      </div>
      <TextareaField label={t("fields.note")} name="note" rows={3} defaultValue={submitted?.note ?? ""} errors={errors?.note} />
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {t("page.save")}
        </button>
      </div>
    </Form>
  );
}
