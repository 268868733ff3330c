import "~/components/every-page";
import { useFetcher } from "@remix-run/react";
import { useTranslation } from "~/components/i18n";
import type { Message } from "~/lib/errors";
import { AgendaItemForm } from "./agenda-item-form";
import type { AgendaItemView, Delegation } from "./agenda-types";

type Failure = {
  ok: false;
  fieldErrors?: Record<string, Message[]>;
  submitted?: Record<string, string>;
  conflict?: { current?: unknown; changedBy: { name: string } | null };
};

/**
 * An item's edit form; after a refused save it opens again with the answer and what was typed.
 * Loaded when needed (ADR 053), through `hydrateWhenNeeded` in `agenda-list.tsx`.
 */
export function ItemEditor({ item, delegations, presenters }: { item: AgendaItemView; delegations: Delegation[]; presenters: Array<{ id: string; name: string; delegationId: string | null }> }) {
  const { t } = useTranslation("agenda");
  const fetcher = useFetcher<Failure | { ok: true }>({ key: `item-${item.id}` });
  const failure = fetcher.data && !fetcher.data.ok ? fetcher.data : null;
  return (
    <details className="no-print" open={!!failure}>
      <summary>{t("items.edit")}</summary>
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
      {fetcher.data?.ok ? (
        <p className="alert alert--ok" role="status">
          {t("items.saved")}
        </p>
      ) : null}
      <AgendaItemForm
        // After a conflict the form starts again from the saved version, keeping what was typed.
        key={failure?.conflict ? `conflict-${item.version}` : item.id}
        intent="update"
        itemId={item.id}
        special={!!item.special}
        values={item}
        delegations={delegations}
        presenters={presenters}
        submitLabel={t("items.save")}
        failure={failure}
        fetcherKey={`item-${item.id}`}
      />
    </details>
  );
}

function summary(values: Record<string, unknown>): string {
  return ["title", "kind", "minutes", "marking", "status"]
    .filter((k) => values[k] !== undefined)
    .map((k) => `${k}: ${String(values[k])}`)
    .join("\n");
}
