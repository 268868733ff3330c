import { useTranslation } from "~/components/i18n";
import { nameIn, type Named } from "~/lib/names";

/** A delegation always shows its ISO code in its colour, and its name unless told not to. */
export function DelegationBadge({ delegation, short = false }: { delegation: Named & { code: string }; short?: boolean }) {
  const { locale } = useTranslation();
  const name = nameIn(delegation, locale);
  return (
    <span className={`delegation delegation--${delegation.code}`} title={short ? name : undefined}>
      <span className="delegation__code" aria-hidden={short ? undefined : true}>
        {delegation.code}
      </span>
      {short ? <span className="visually-hidden">{name}</span> : <span>{name}</span>}
    </span>
  );
}
