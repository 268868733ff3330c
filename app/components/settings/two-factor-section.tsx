import { Form, useFetcher, useSubmit } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "~/components/i18n";
import { Time } from "~/components/time";
import { Field } from "~/components/ui/field";
import type { Message } from "~/lib/errors";

type FieldErrorsLike = Record<string, Message[]> | null;

type RegistrationOptions = Parameters<typeof import("@simplewebauthn/browser").startRegistration>[0]["optionsJSON"];

export interface TwoFactorView {
  totp: boolean;
  passkeys: Array<{ id: string; name: string; createdAt: string; lastUsedAt: string | null }>;
  recoveryCodesLeft: number;
  required: boolean;
  enabled: boolean;
  setup: { secret: string; qrSvg: string } | null;
}

/** Settings → "Two-factor authentication": authenticator app, passkeys, recovery codes. */
export function TwoFactorSection({
  status,
  zone,
  errors,
  recoveryCodes,
  mustSetUp,
}: {
  status: TwoFactorView;
  zone: string;
  errors: FieldErrorsLike;
  recoveryCodes: string[] | null;
  mustSetUp: boolean;
}) {
  const { t } = useTranslation("settings");
  return (
    <section className="card" id="two-factor" aria-labelledby="two-factor-title" style={{ marginTop: "1rem" }}>
      <h2 id="two-factor-title">{t("twoFactor.title")}</h2>
      {mustSetUp ? (
        <p className="alert alert--warn" role="alert">
          {t("twoFactor.requiredNotice")}
        </p>
      ) : null}
      <p className="muted small">{status.enabled ? t("twoFactor.on") : t("twoFactor.off")}</p>

      {recoveryCodes ? (
        <div className="alert alert--ok" role="status">
          <p>{t("twoFactor.recovery.shown")}</p>
          <ul className="recovery-codes" aria-label={t("twoFactor.recovery.title")}>
            {recoveryCodes.map((c) => (
              <li key={c} className="secret">
                {c}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <h3>{t("twoFactor.totp.title")}</h3>
      {status.totp ? (
        <Form method="post" className="stack" noValidate>
          <p className="small">{t("twoFactor.totp.active")}</p>
          <input type="hidden" name="intent" value="totp-disable" />
          <Field label={t("twoFactor.password")} name="password" type="password" autoComplete="current-password" required errors={errors?.password} />
          <div className="form-actions">
            <button type="submit" className="button button--danger">
              {t("twoFactor.totp.disable")}
            </button>
          </div>
        </Form>
      ) : status.setup ? (
        <div className="stack">
          <p className="small">{t("twoFactor.totp.scan")}</p>
          {/* The SVG is drawn by the qrcode library from our own otpauth:// address: no user text in it. */}
          <div className="qr" role="img" aria-label={t("twoFactor.totp.qr")} dangerouslySetInnerHTML={{ __html: status.setup.qrSvg }} />
          <p className="small" aria-hidden="true">
            {t("twoFactor.totp.setupKey")}
          </p>
          <p className="secret" aria-label={t("twoFactor.totp.setupKey")}>
            {status.setup.secret}
          </p>
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="totp-confirm" />
            <Field label={t("twoFactor.code")} name="code" autoComplete="one-time-code" inputMode="numeric" required errors={errors?.code} />
            <div className="form-actions">
              <button type="submit" className="button button--primary">
                {t("twoFactor.verify")}
              </button>
              <button type="submit" name="intent" value="totp-cancel" className="button" formNoValidate>
                {t("twoFactor.totp.cancel")}
              </button>
            </div>
          </Form>
        </div>
      ) : (
        <Form method="post">
          <input type="hidden" name="intent" value="totp-start" />
          <button type="submit" className="button">
            {t("twoFactor.totp.start")}
          </button>
        </Form>
      )}

      <h3>{t("twoFactor.passkey.title")}</h3>
      {status.passkeys.length ? (
        <ul className="card-list">
          {status.passkeys.map((p) => (
            <li key={p.id}>
              <strong>{p.name}</strong>{" "}
              <span className="muted small">
                {t("twoFactor.passkey.added")} <Time value={p.createdAt} zone={zone} style="date" />
                {p.lastUsedAt ? (
                  <>
                    {" · "}
                    {t("twoFactor.passkey.lastUsed")} <Time value={p.lastUsedAt} zone={zone} />
                  </>
                ) : null}
              </span>
              <Form method="post" className="row" noValidate>
                <input type="hidden" name="intent" value="passkey-remove" />
                <input type="hidden" name="id" value={p.id} />
                <Field label={t("twoFactor.password")} name="password" type="password" autoComplete="current-password" required />
                <button type="submit" className="button button--danger">
                  {t("twoFactor.passkey.remove", { name: p.name })}
                </button>
              </Form>
            </li>
          ))}
        </ul>
      ) : (
        <p className="small muted">{t("twoFactor.passkey.none")}</p>
      )}
      <AddPasskey errors={errors} />

      {status.enabled ? (
        <>
          <h3>{t("twoFactor.recovery.title")}</h3>
          <p className="small">{t("twoFactor.recovery.left", { count: status.recoveryCodesLeft })}</p>
          <Form method="post">
            <input type="hidden" name="intent" value="recovery-regenerate" />
            <button type="submit" className="button">
              {t("twoFactor.recovery.regenerate")}
            </button>
          </Form>
        </>
      ) : null}
    </section>
  );
}

/** Asks the browser for a new passkey (WebAuthn), then posts what it made with the name given. */
function AddPasskey({ errors }: { errors: FieldErrorsLike }) {
  const { t } = useTranslation("settings");
  const fetcher = useFetcher<{ ok: true; options: RegistrationOptions }>();
  const submit = useSubmit();
  const [name, setName] = useState("");
  const [failed, setFailed] = useState(false);
  const options = fetcher.data && "options" in fetcher.data ? fetcher.data.options : null;

  useEffect(() => {
    if (!options) return;
    let cancelled = false;
    import("@simplewebauthn/browser")
      .then(({ startRegistration }) => startRegistration({ optionsJSON: options as unknown as RegistrationOptions }))
      .then((response) => {
        if (!cancelled) submit({ intent: "passkey-add", name, response: JSON.stringify(response) }, { method: "post" });
      })
      .catch(() => !cancelled && setFailed(true));
    return () => {
      cancelled = true;
    };
    // Only a new set of options starts the browser's dialogue.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [options]);

  return (
    <form
      className="stack"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        setFailed(false);
        fetcher.submit({ intent: "passkey-options" }, { method: "post" });
      }}
    >
      {failed ? (
        <p className="alert alert--error" role="alert">
          {t("twoFactor.passkey.failed")}
        </p>
      ) : null}
      <Field label={t("twoFactor.passkey.name")} name="name" value={name} onChange={(e) => setName(e.currentTarget.value)} required hint={t("twoFactor.passkey.nameHint")} errors={errors?.name} />
      <div className="form-actions">
        <button type="submit" className="button" disabled={!name.trim()}>
          {t("twoFactor.passkey.add")}
        </button>
      </div>
    </form>
  );
}
