import { useState } from "react";
import { useTranslation } from "~/components/i18n";

/** Copies text to the clipboard and says so (politely, to screen readers too). */
export function CopyButton({ text, label }: { text: string; label?: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="button button--small"
      onClick={async () => {
        await navigator.clipboard?.writeText(text);
        setCopied(true);
        setTimeout(() => setCopied(false), 2000);
      }}
    >
      {label ?? t("actions.copy")}
      <span aria-live="polite">{copied ? ` ✓ ${t("actions.copied")}` : ""}</span>
    </button>
  );
}
