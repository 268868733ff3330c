import "~/components/every-page";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useFetcher, useLoaderData, useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
import { useEffect, useState } from "react";
import { AuthLayout } from "~/components/auth-layout";
import { useTranslation } from "~/components/i18n";
import { Field, FormErrors } from "~/components/ui/field";
import { fieldErrorsFrom } from "~/lib/forms";
import { formObject, runAction, runLoader, type ActionFailure } from "~/lib/http.server";
import { title } from "~/lib/meta";
import { deviceCookieFor, deviceTokenOf, safeRedirect, sessionCookieFor, sessionTokenOf } from "~/lib/session.server";
import { findPendingSession } from "~/models/people/sessions.server";
import { verifySecondFactor, type SignInResult } from "~/models/people/sign-in.server";
import { passkeySignInOptions, twoFactorStatus, verifyPasskeySignIn, verifyTotpCode } from "~/models/people/two-factor.server";
import type { I18nHandle } from "~/lib/catalogues";

/** The catalogues this page translates with, beyond its parents' (ADR 039). */
export const handle: I18nHandle = { i18n: ["auth"] };

/** The second step of signing in: a code from the authenticator app, a recovery code, or a passkey. */
export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request }) => {
    const token = await sessionTokenOf(request);
    const pending = token ? await findPendingSession(token) : null;
    if (!pending) throw redirect("/login");
    const status = await twoFactorStatus(pending.userId);
    return json({ totp: status.totp, passkey: status.passkeys.length > 0 });
  });
}

async function signedIn(result: SignInResult, redirectTo: string | undefined) {
  const headers = new Headers({ "Set-Cookie": await sessionCookieFor(result.token) });
  if (result.deviceToken) headers.append("Set-Cookie", await deviceCookieFor(result.deviceToken));
  return redirect(safeRedirect(redirectTo), { headers });
}

export async function action(args: ActionFunctionArgs) {
  return runAction(args, async ({ request, context }) => {
    const form = await formObject(request);
    const token = await sessionTokenOf(request);
    if (!token) throw redirect("/login");
    const common = {
      token,
      input: form,
      address: (context as { clientAddress?: string }).clientAddress ?? "unknown",
      userAgent: request.headers.get("user-agent"),
      deviceToken: await deviceTokenOf(request),
    };
    if (form.intent === "passkey-options") {
      const options = await passkeySignInOptions(token);
      if (!options) throw redirect("/login");
      return json({ ok: true as const, options });
    }
    const result = form.intent === "passkey" ? await verifyPasskeySignIn(common) : await verifySecondFactor({ ...common, verifyTotp: verifyTotpCode });
    // The pending sign-in expired or was finished in another tab: start again.
    if (!result) throw redirect("/login");
    return signedIn(result, form.redirectTo);
  });
}

type PasskeyOptions = Parameters<typeof import("@simplewebauthn/browser").startAuthentication>[0]["optionsJSON"];

function PasskeyButton({ redirectTo }: { redirectTo: string }) {
  const { t } = useTranslation("auth");
  const fetcher = useFetcher<{ ok: true; options: PasskeyOptions } | ActionFailure>();
  const submit = useSubmit();
  const [failed, setFailed] = useState(false);
  const options = fetcher.data && "options" in fetcher.data ? fetcher.data.options : null;

  useEffect(() => {
    if (!options) return;
    let cancelled = false;
    import("@simplewebauthn/browser")
      .then(({ startAuthentication }) => startAuthentication({ optionsJSON: options as unknown as PasskeyOptions }))
      .then((response) => {
        if (!cancelled) submit({ intent: "passkey", response: JSON.stringify(response), redirectTo }, { method: "post" });
      })
      .catch(() => !cancelled && setFailed(true));
    return () => {
      cancelled = true;
    };
  }, [options, redirectTo, submit]);

  return (
    <div className="stack">
      {failed ? (
        <p className="alert alert--error" role="alert">
          {t("twoFactor.passkeyFailed")}
        </p>
      ) : null}
      <button
        type="button"
        className="button"
        onClick={() => {
          setFailed(false);
          fetcher.submit({ intent: "passkey-options" }, { method: "post" });
        }}
      >
        {t("twoFactor.usePasskey")}
      </button>
    </div>
  );
}

export default function TwoFactorRoute() {
  const { t } = useTranslation("auth");
  const { totp, passkey } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const errors = fieldErrorsFrom(data);
  const retryAfter = data && "retryAfterSeconds" in data ? data.retryAfterSeconds : undefined;
  const redirectTo = params.get("redirectTo") ?? "/";

  return (
    <AuthLayout title={t("twoFactor.title")}>
      <p>{totp && passkey ? t("twoFactor.intro") : totp ? t("twoFactor.introTotp") : t("twoFactor.introRecovery")}</p>
      {retryAfter ? (
        <div className="alert alert--error" role="alert">
          <p>{t("signIn.throttled", { count: Math.ceil(retryAfter / 60) })}</p>
        </div>
      ) : (
        <FormErrors errors={errors} />
      )}
      {passkey ? <PasskeyButton redirectTo={redirectTo} /> : null}
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <input type="hidden" name="intent" value="code" />
        <Field
          label={t("twoFactor.code")}
          name="code"
          autoComplete="one-time-code"
          hint={t("twoFactor.codeHint")}
          required
          errors={errors?.code}
          autoFocus
        />
        <button type="submit" className="button button--primary" disabled={navigation.state === "submitting"}>
          {t("twoFactor.verify")}
        </button>
      </Form>
      <p className="small">
        <a href="/login">{t("twoFactor.startAgain")}</a>
      </p>
    </AuthLayout>
  );
}

export const meta: MetaFunction = ({ matches }) => title(matches, (t) => t("auth:twoFactor.title"));
