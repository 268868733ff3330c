import { useTranslation } from "~/components/i18n";
import { Time } from "~/components/time";
import { useViewerZone } from "~/components/use-viewer-zone";
import { nameIn } from "~/lib/names";
import type { DelegationView } from "~/lib/views";
import type { MeetingFormValues } from "./meeting-form";

interface Conflict {
  current?: unknown;
  changedBy: { id: string; name: string } | null;
  changedAt: string | null;
}

function Summary({ values, delegations }: { values: Partial<MeetingFormValues>; delegations: DelegationView[] }) {
  const { t, locale } = useTranslation("meetings");
  const host = delegations.find((d) => d.id === values.hostDelegationId);
  return (
    <dl className="dl">
      <dt>{t("form.date")}</dt>
      <dd>
        {values.date} {values.time}–{values.endTime} ({values.timeZone})
      </dd>
      <dt>{t("form.format")}</dt>
      <dd>{values.format ? t(`format.${values.format}`) : "—"}</dd>
      <dt>{t("form.host")}</dt>
      <dd>{host ? nameIn(host, locale) : "—"}</dd>
      <dt>{t("form.venue")}</dt>
      <dd>{values.venue || "—"}</dd>
      <dt>{t("form.link")}</dt>
      <dd>{values.link || "—"}</dd>
      <dt>{t("form.title")}</dt>
      <dd>{values.title || "—"}</dd>
    </dl>
  );
}

/** A stale save: both versions side by side and who made the other, so nothing is silently lost. */
export function MeetingConflict({ conflict, yours, delegations }: { conflict: Conflict; yours: Partial<MeetingFormValues>; delegations: DelegationView[] }) {
  const { t } = useTranslation("meetings");
  const zone = useViewerZone();
  return (
    <section className="alert alert--warn" role="alert" aria-labelledby="conflict-title">
      <h2 id="conflict-title">{t("conflict.title")}</h2>
      <p>{t("conflict.body", { name: conflict.changedBy?.name ?? "—" })}</p>
      {conflict.changedAt ? (
        <p className="small">
          {t("conflict.when")} <Time value={conflict.changedAt} zone={zone} />
        </p>
      ) : null}
      <div className="conflict">
        <div>
          <h3>{t("conflict.theirs")}</h3>
          <Summary values={conflict.current as MeetingFormValues} delegations={delegations} />
        </div>
        <div>
          <h3>{t("conflict.yours")}</h3>
          <Summary values={yours} delegations={delegations} />
        </div>
      </div>
    </section>
  );
}
