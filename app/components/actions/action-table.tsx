import { Link } from "@remix-run/react";
import { DelegationBadge } from "~/components/delegation-badge";
import { useTranslation } from "~/components/i18n";
import { Marking } from "~/components/marking";
import { ActionStatusBadge } from "./status-badge";
import { DueDate } from "./due-date";
import type { ActionRowView } from "~/lib/views";

interface Props {
  rows: ActionRowView[];
  delegations: Array<{ id: string; code: string; nameEn: string; nameJa: string; nameKo: string }>;
}

/**
 * The dashboard's list: stacked rows on phones, a table on wider screens. A title too long for a
 * list arrives shortened (`actionRowView`, ADR 050); its link says so to screen readers, and the
 * item's page has it whole.
 */
export function ActionTable({ rows, delegations }: Props) {
  const { t } = useTranslation("actions");
  const byId = new Map(delegations.map((d) => [d.id, d]));
  return (
    <table className="table table--stack">
      <thead>
        <tr>
          <th scope="col">{t("fields.title")}</th>
          <th scope="col">{t("fields.owner")}</th>
          <th scope="col">{t("fields.assignees")}</th>
          <th scope="col">{t("fields.due")}</th>
          <th scope="col">{t("fields.status")}</th>
          <th scope="col">{t("fields.marking")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const owner = byId.get(r.ownerDelegationId);
          return (
            <tr key={r.id}>
              <th scope="row">
                <span className="muted small">{t("ref", { ref: r.ref })}</span> <Link to={`/actions/${r.id}`}>
                  {r.title}
                  {r.shortened ? <span className="visually-hidden">{` ${t("list.shortened")}`}</span> : null}
                </Link>
                {r.priority === "high" ? <span className="badge badge--danger badge--after">{t("priority.high")}</span> : null}
                {r.carried > 0 ? <div className="small muted">{t("list.carried", { count: r.carried })}</div> : null}
              </th>
              <td data-label={t("fields.owner")}>{owner ? <DelegationBadge delegation={owner} short /> : null}</td>
              <td data-label={t("fields.assignees")}>{r.assignees.join(", ") || "—"}</td>
              <td data-label={t("fields.due")}>
                <DueDate dueOn={r.dueOn} dueKind={r.dueKind} overdue={r.overdue} />
              </td>
              <td data-label={t("fields.status")}>
                <ActionStatusBadge status={r.status} />
              </td>
              <td data-label={t("fields.marking")}>
                <Marking value={r.marking} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
