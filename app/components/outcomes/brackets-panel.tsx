import { Form } from "@remix-run/react";
import { useTranslation } from "~/components/i18n";

interface Delegation {
  id: string;
  code: string;
}

interface Bracket {
  id: string;
  owner: string;
  delegationId: string | null;
  text: string;
  alternatives: string[];
  choices: Array<{ delegationId: string; option: number | null }>;
}

interface Props {
  brackets: Bracket[];
  closed: Array<{ id: string; status: string; text: string; outcome: string | null; delegationId: string }>;
  delegations: Delegation[];
  self: { delegationId: string | null };
  canChoose: boolean;
}

/**
 * Every open bracket with its owner, its texts ("[A / B]") and which text each delegation
 * accepts. A delegation accepts one; when all accept the same, the server resolves it. The
 * owner may change its alternatives in place or withdraw it (its words stay).
 */
export function BracketsPanel({ brackets, closed, delegations, self, canChoose }: Props) {
  const { t } = useTranslation("outcomes");
  const code = (id: string | null) => delegations.find((d) => d.id === id)?.code ?? "—";
  return (
    <section className="card" aria-labelledby="brackets-title" style={{ marginTop: "1rem" }}>
      <h2 id="brackets-title">{t("brackets.title", { count: brackets.length })}</h2>
      {brackets.length === 0 ? <p className="muted">{t("brackets.none")}</p> : null}
      <ol className="plain-list stack" aria-label={t("brackets.open")}>
        {brackets.map((b) => {
          const options = [b.text, ...b.alternatives];
          const mine = b.choices.find((c) => c.delegationId === self.delegationId)?.option ?? null;
          return (
            <li key={b.id} className="card" aria-label={t("brackets.item", { owner: b.owner, text: b.text })}>
              <p>
                <span className={`delegation delegation--${b.owner}`}>
                  <span className="delegation__code">{b.owner}</span>
                </span>{" "}
                {t("brackets.ownedBy", { owner: b.owner })}
              </p>
              <ul className="plain-list stack">
                {options.map((text, option) => (
                  <li key={option} className="row">
                    <span>
                      <strong>{option === 0 ? t("brackets.bracketed") : t("brackets.alternative", { n: option })}</strong> “{text}”
                    </span>
                    <span className="small muted">
                      {t("brackets.acceptedBy")}{" "}
                      {b.choices
                        .filter((c) => c.option === option)
                        .map((c) => code(c.delegationId))
                        .join(", ") || "—"}
                    </span>
                    {canChoose && mine !== option ? (
                      <Form method="post">
                        <input type="hidden" name="intent" value="choose" />
                        <input type="hidden" name="bracketId" value={b.id} />
                        <input type="hidden" name="option" value={option} />
                        <input type="hidden" name="text" value={text} />
                        <button type="submit" className="button button--small" aria-label={t("brackets.acceptLabel", { text })}>
                          {t("brackets.accept")}
                        </button>
                      </Form>
                    ) : null}
                  </li>
                ))}
              </ul>
              {canChoose && b.delegationId === self.delegationId ? (
                <details className="outcome-bracket__edit">
                  <summary>{t("brackets.edit")}</summary>
                  {/* key: a form drawn for older alternatives starts again from the current ones. */}
                  <Form method="post" className="stack" key={b.alternatives.join("\n")}>
                    <input type="hidden" name="intent" value="editBracket" />
                    <input type="hidden" name="bracketId" value={b.id} />
                    <label className="field__label" htmlFor={`alternatives-${b.id}`}>
                      {t("editor.alternatives")}
                    </label>
                    <p className="field__hint" id={`alternatives-hint-${b.id}`}>
                      {t("brackets.editHint")}
                    </p>
                    <textarea id={`alternatives-${b.id}`} name="alternatives" className="input" rows={3} defaultValue={b.alternatives.join("\n")} aria-describedby={`alternatives-hint-${b.id}`} />
                    <div>
                      <button type="submit" className="button button--small button--primary">
                        {t("brackets.editSave")}
                      </button>
                    </div>
                  </Form>
                </details>
              ) : null}
              {canChoose && b.delegationId === self.delegationId ? (
                <Form method="post" onSubmit={(e) => !confirm(t("brackets.withdrawConfirm")) && e.preventDefault()}>
                  <input type="hidden" name="intent" value="withdraw" />
                  <input type="hidden" name="bracketId" value={b.id} />
                  <button type="submit" className="button button--small">
                    {t("brackets.withdraw")}
                  </button>
                </Form>
              ) : null}
            </li>
          );
        })}
      </ol>
      {closed.length ? (
        <details>
          <summary>{t("brackets.closed", { count: closed.length })}</summary>
          <ul className="plain-list small">
            {closed.map((b) => (
              <li key={b.id}>
                {code(b.delegationId)} · {t(`brackets.status.${b.status}`)}: “{b.text}” → “{b.outcome ?? ""}”
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
