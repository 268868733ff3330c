import type { ReactNode } from "react";
import { useTranslation } from "~/components/i18n";
import { LanguageSwitcher } from "./shell/language-switcher";

/** Pages before sign-in: a calm centred card with the language switcher. */
export function AuthLayout({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="auth">
      <header className="auth__header">
        <span className="brand" aria-hidden="true">
          <span className="brand__mark">◆</span> {t("appName")}
        </span>
        <LanguageSwitcher />
      </header>
      <main id="main" className="auth__card">
        <p className="brand brand--large">{t("appName")}</p>
        <h1>{title}</h1>
        {children}
      </main>
    </div>
  );
}
