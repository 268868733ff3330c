import { Form } from "@remix-run/react";
import { useTranslation } from "~/components/i18n";
import { CapitalTimes, type CapitalZone } from "~/components/meetings/capital-times";

interface Counter {
  id: string;
  name: string;
  proposedStart: string;
  proposedDurationMinutes: number;
  comment: string | null;
}

interface Props {
  counters: Counter[];
  meeting: { version: number };
  capitals: CapitalZone[];
  viewerZone: string;
}

/**
 * New times that invitees proposed from their calendar clients (iTIP COUNTER). Accepting one
 * moves the meeting and sends everyone the new invitation; declining tells the proposer's
 * calendar (DECLINECOUNTER). The secretariat sees each proposal in every capital.
 */
export function CounterPanel({ counters, meeting, capitals, viewerZone }: Props) {
  const { t } = useTranslation("meetings");
  return (
    <section className="card" aria-labelledby="counters-title" style={{ marginTop: "1rem" }}>
      <h2 id="counters-title">{t("counters.title")}</h2>
      <p className="muted small">{t("counters.intro")}</p>
      <ul role="list" className="counter-list">
        {counters.map((c) => (
          <li key={c.id} aria-label={t("counters.proposedBy", { name: c.name })}>
            <h3>{t("counters.proposedBy", { name: c.name })}</h3>
            <CapitalTimes start={c.proposedStart} durationMinutes={c.proposedDurationMinutes} capitals={capitals} viewerZone={viewerZone} />
            {c.comment ? <blockquote className="small">{c.comment}</blockquote> : null}
            <Form method="post" className="form-actions">
              <input type="hidden" name="counterId" value={c.id} />
              <input type="hidden" name="version" value={meeting.version} />
              <button type="submit" name="intent" value="acceptCounter" className="button button--primary">
                {t("counters.accept")}
              </button>
              <button type="submit" name="intent" value="declineCounter" className="button">
                {t("counters.decline")}
              </button>
            </Form>
          </li>
        ))}
      </ul>
    </section>
  );
}
