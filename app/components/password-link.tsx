import { useTranslation } from "~/components/i18n";
import { CopyButton } from "./copy-button";

/** A one-time link, shown once to the secretariat to pass on. */
export function PasswordLink({ email, link }: { email: string; link: string }) {
  const { t } = useTranslation("members");
  return (
    <div>
      <p>
        <strong>{t("link.title")}</strong>
      </p>
      <p className="small">{t("link.body", { email })}</p>
      <p className="secret" aria-label={t("link.title")}>
        {link}
      </p>
      <CopyButton text={link} />
    </div>
  );
}
