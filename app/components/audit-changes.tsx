import { useTranslation } from "~/components/i18n";

type Json = Record<string, unknown> | null;

const show = (v: unknown) => (v === null || v === undefined ? "—" : typeof v === "string" ? v : JSON.stringify(v));

/** Before and after, field by field; only fields that changed (or appeared) are listed. */
export function AuditChanges({ before, after }: { before: Json; after: Json }) {
  const { t } = useTranslation("audit");
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  const changed = keys.filter((k) => show(before?.[k]) !== show(after?.[k]));
  if (changed.length === 0) return <span className="muted">{t("noDetails")}</span>;
  return (
    <dl className="changes">
      {changed.map((k) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>
            {before && k in before ? (
              <>
                <del>{show(before[k])}</del> →{" "}
              </>
            ) : null}
            <ins>{show(after?.[k])}</ins>
          </dd>
        </div>
      ))}
    </dl>
  );
}
