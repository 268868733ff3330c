import { useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState, type DragEvent } from "react";
import { DelegationBadge } from "~/components/delegation-badge";
import { useTranslation } from "~/components/i18n";
import { Icon } from "~/components/ui/icon";
import { Marking } from "~/components/marking";
import { formatInstant } from "~/lib/datetime";
import type { Message } from "~/lib/errors";
import { loadWhenRendered, NotLoaded } from "~/components/ui/load-when-rendered";

export interface AgendaItemView {
  id: string;
  title: string;
  description: string;
  kind: string;
  special: "minutes_adoption" | "action_review" | null;
  leadDelegationId: string | null;
  presenterId: string | null;
  minutes: number;
  marking: string;
  status: "proposed" | "agreed" | "withdrawn";
  version: number;
  /** Outside the reader's TLP audience: only its place, kind, marking and minutes are known. */
  restricted: boolean;
}

interface Delegation {
  id: string;
  code: string;
  nameEn: string;
  nameJa: string;
  nameKo: string;
}

interface Props {
  items: AgendaItemView[];
  start: string;
  timeZone: string;
  delegations: Delegation[];
  presenters: Array<{ id: string; name: string; delegationId: string | null }>;
  editable: boolean;
  /** Content for the items every agenda carries (the review list, the previous minutes). */
  renderSpecial: (item: AgendaItemView) => React.ReactNode;
  /** The item's papers. */
  renderPapers?: (item: AgendaItemView) => React.ReactNode;
}

/**
 * The agenda in order with its running clock (each item's start in the meeting's zone).
 * Reordering works by dragging and by keyboard (move up/down buttons), and is announced.
 */
export function AgendaList({ items, start, timeZone, delegations, presenters, editable, renderSpecial, renderPapers }: Props) {
  const { t, locale } = useTranslation("agenda");
  const mover = useFetcher({ key: "agenda-move" });
  const [dragging, setDragging] = useState<string | null>(null);
  const [dropTarget, setDropTarget] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const pendingFocus = useRef<string | null>(null);
  const titleOf = (item: AgendaItemView) => (item.restricted ? t("restricted", { marking: item.marking }) : item.special ? t(`special.${item.special}`) : item.title);

  // Items someone else just changed get a brief highlight.
  const versions = useRef(new Map(items.map((i) => [i.id, i.version])));
  const [flash, setFlash] = useState<Set<string>>(new Set());
  useEffect(() => {
    const changed = items.filter((i) => versions.current.has(i.id) && versions.current.get(i.id) !== i.version).map((i) => i.id);
    versions.current = new Map(items.map((i) => [i.id, i.version]));
    if (changed.length) {
      setFlash(new Set(changed));
      const timer = setTimeout(() => setFlash(new Set()), 1600);
      return () => clearTimeout(timer);
    }
  }, [items]);

  useEffect(() => {
    if (!pendingFocus.current) return;
    document.getElementById(pendingFocus.current)?.focus();
    pendingFocus.current = null;
  }, [items]);

  const move = (item: AgendaItemView, to: number, focusId?: string) => {
    const others = items.filter((i) => i.id !== item.id);
    const clamped = Math.max(0, Math.min(others.length, to));
    const after = others[clamped - 1] ?? null;
    const before = others[clamped] ?? null;
    mover.submit({ intent: "move", itemId: item.id, afterId: after?.id ?? "", beforeId: before?.id ?? "" }, { method: "post" });
    setAnnouncement(t("items.moved", { title: titleOf(item), position: clamped + 1, count: items.length }));
    if (focusId) pendingFocus.current = focusId;
  };

  const onDrop = (event: DragEvent, target: AgendaItemView) => {
    event.preventDefault();
    setDropTarget(null);
    const id = event.dataTransfer.getData("text/plain");
    const item = items.find((i) => i.id === id);
    if (!item || item.id === target.id) return;
    const others = items.filter((i) => i.id !== item.id);
    move(item, others.findIndex((i) => i.id === target.id));
  };

  let clock = new Date(start).getTime();
  return (
    <>
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      <ol className="agenda" role="list" aria-describedby={editable ? "agenda-drag-hint" : undefined}>
        {items.map((item, index) => {
          const startsAt = clock;
          if (item.status !== "withdrawn") clock += item.minutes * 60_000;
          const lead = delegations.find((d) => d.id === item.leadDelegationId);
          const presenter = presenters.find((p) => p.id === item.presenterId);
          const classes = ["agenda-item", item.status === "withdrawn" ? "agenda-item--withdrawn" : "", dragging === item.id ? "agenda-item--dragging" : "", dropTarget === item.id ? "agenda-item--drop" : "", flash.has(item.id) ? "agenda-item--flash" : ""];
          return (
            <li
              key={item.id}
              id={`item-${item.id}`}
              className={classes.filter(Boolean).join(" ")}
              draggable={editable}
              onDragStart={(e) => {
                e.dataTransfer.setData("text/plain", item.id);
                e.dataTransfer.effectAllowed = "move";
                setDragging(item.id);
              }}
              onDragEnd={() => setDragging(null)}
              onDragOver={(e) => {
                if (!editable) return;
                e.preventDefault();
                setDropTarget(item.id);
              }}
              onDragLeave={() => setDropTarget((current) => (current === item.id ? null : current))}
              onDrop={(e) => onDrop(e, item)}
              aria-label={titleOf(item)}
            >
              <span className="agenda-item__number" aria-hidden="true">
                {index + 1}
              </span>
              <span className="agenda-item__time">
                <time dateTime={new Date(startsAt).toISOString()} suppressHydrationWarning>
                  {formatInstant(startsAt, locale, timeZone, "time")}
                </time>
                <span className="muted small"> · {item.minutes}′</span>
              </span>
              <div className="agenda-item__body">
                <div className="agenda-item__title">{titleOf(item)}</div>
                <div className="agenda-item__meta">
                  <span className="badge">{t(`kind.${item.kind}`)}</span>
                  {item.status !== "agreed" ? <span className={`badge ${item.status === "proposed" ? "badge--warn" : ""}`}>{t(`status.${item.status}`)}</span> : null}
                  {lead ? <DelegationBadge delegation={lead} short /> : null}
                  {presenter ? <span>{presenter.name}</span> : null}
                  <Marking value={item.marking} />
                </div>
                {item.restricted ? <p className="muted small">{t("restrictedHint")}</p> : null}
                {item.description ? <div className="prose-html small" dangerouslySetInnerHTML={{ __html: item.description }} /> : null}
                {item.special && !item.restricted ? renderSpecial(item) : null}
                {renderPapers && !item.restricted && item.status !== "withdrawn" ? renderPapers(item) : null}
              </div>
              {editable ? (
                <div className="agenda-item__moves no-print" role="group" aria-label={t("items.moveGroup", { title: titleOf(item) })}>
                  {(
                    [
                      ["top", 0, index === 0],
                      ["up", index - 1, index === 0],
                      ["down", index + 1, index === items.length - 1],
                      ["bottom", items.length - 1, index === items.length - 1],
                    ] as const
                  ).map(([where, to, disabled]) => (
                    <button
                      key={where}
                      type="button"
                      id={`${where}-${item.id}`}
                      className="button button--small"
                      aria-label={t(`items.move_${where}`, { title: titleOf(item) })}
                      title={t(`items.move_${where}`, { title: titleOf(item) })}
                      disabled={disabled}
                      // Focus stays on the item: on this button, or the other way once it reaches an end.
                      onClick={() => move(item, to, `${to <= 0 ? "down" : to >= items.length - 1 ? "up" : where}-${item.id}`)}
                    >
                      <Icon name={where} />
                    </button>
                  ))}
                </div>
              ) : null}
              {editable && !item.restricted ? <ItemEditor item={item} delegations={delegations} presenters={presenters} /> : null}
            </li>
          );
        })}
      </ol>
      {editable ? (
        <p id="agenda-drag-hint" className="muted small no-print">
          {t("items.drag")}
        </p>
      ) : null}
      {items.length === 0 ? <p className="muted">{t("items.none")}</p> : null}
    </>
  );
}

type Failure = {
  ok: false;
  fieldErrors?: Record<string, Message[]>;
  submitted?: Record<string, string>;
  conflict?: { current?: unknown; changedBy: { name: string } | null };
};

const loadForms = () => import("./agenda-item-form");
// An item's edit form comes when its <details> first opens (ADR 058); the one in <noscript>, for
// the page without JavaScript, only on the server. Pointing at or focusing "Edit" fetches it already.
const ItemEditForm = loadWhenRendered(() => loadForms().then((m) => m.ItemEditForm));
const prefetch = () => void loadForms().catch(() => undefined);

/**
 * An item's edit form, closed; after a refused save it opens again with the answer and what was
 * typed. Once loaded the form stays in the page while closed, so what was typed is kept.
 */
function ItemEditor({ item, delegations, presenters }: { item: AgendaItemView; delegations: Delegation[]; presenters: Props["presenters"] }) {
  const { t } = useTranslation("agenda");
  const fetcher = useFetcher<Failure | { ok: true }>({ key: `item-${item.id}` });
  const failure = fetcher.data && !fetcher.data.ok ? fetcher.data : null;
  // Whether the form's code is here; "failed" after an opening offline, tried again at the next.
  const [code, setCode] = useState<"none" | "loaded" | "failed">("none");
  const form = <ItemEditForm itemId={item.id} special={!!item.special} values={item} delegations={delegations} presenters={presenters} failure={failure} saved={!!fetcher.data?.ok} />;
  return (
    <details
      className="no-print"
      open={!!failure}
      onToggle={(event) => {
        if (!event.currentTarget.open || code === "loaded") return;
        loadForms().then(
          () => setCode("loaded"),
          () => setCode("failed"),
        );
      }}
    >
      <summary onPointerEnter={prefetch} onFocus={prefetch}>
        {t("items.edit")}
      </summary>
      {code === "loaded" || failure ? (
        form
      ) : (
        <>
          {code === "failed" ? <NotLoaded /> : null}
          {/* Without JavaScript: the same form, rendered by the server. */}
          <noscript>{form}</noscript>
        </>
      )}
    </details>
  );
}
