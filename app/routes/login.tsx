import "~/components/every-page";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "~/components/i18n";
import { AuthLayout } from "~/components/auth-layout";
import { Field, FormErrors } from "~/components/ui/field";
import { fieldErrorsFrom } from "~/lib/forms";
import { title } from "~/lib/meta";
import { runAction, formObject, type ActionFailure } from "~/lib/http.server";
import { deviceCookieFor, deviceTokenOf, safeRedirect, sessionCookieFor } from "~/lib/session.server";
import { requireAnonymous } from "~/models/people/current-user.server";
import { signIn, signInConstraints } from "~/models/people/sign-in.server";
import type { I18nHandle } from "~/lib/catalogues";

/** The catalogues this page translates with, beyond its parents' (ADR 039). */
export const handle: I18nHandle = { i18n: ["auth"] };

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return json({ constraints: signInConstraints });
}

export async function action(args: ActionFunctionArgs) {
  const form = await formObject(args.request);
  const response = await runAction(args, async ({ request, context }) => {
    const result = await signIn({
      input: { email: form.email, password: form.password },
      address: (context as { clientAddress?: string }).clientAddress ?? "unknown",
      userAgent: request.headers.get("user-agent"),
      deviceToken: await deviceTokenOf(request),
    });
    const to = safeRedirect(form.redirectTo);
    const headers = new Headers({ "Set-Cookie": await sessionCookieFor(result.token) });
    if (result.stage === "second-factor") {
      // The password was right; the session is good only for the second step.
      return redirect(`/login/two-factor${to === "/" ? "" : `?${new URLSearchParams({ redirectTo: to })}`}`, { headers });
    }
    if (result.deviceToken) headers.append("Set-Cookie", await deviceCookieFor(result.deviceToken));
    return redirect(to, { headers });
  });
  // A refused sign-in keeps the email that was typed, with or without JavaScript.
  if (response.status >= 400) {
    const body = (await response.json()) as ActionFailure;
    return json({ ...body, email: (form.email ?? "").slice(0, 254) }, { status: response.status, headers: response.headers });
  }
  return response;
}

export default function LoginRoute() {
  const { t } = useTranslation("auth");
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const errors = fieldErrorsFrom(data);
  const retryAfter = data && "retryAfterSeconds" in data ? data.retryAfterSeconds : undefined;
  const busy = navigation.state === "submitting";

  return (
    <AuthLayout title={t("signIn.title")}>
      <p>{t("signIn.intro")}</p>
      {params.get("signedOut") ? (
        <p className="alert alert--info" role="status">
          {t("signIn.signedOut")}
        </p>
      ) : null}
      {retryAfter ? (
        <div className="alert alert--error" role="alert">
          <p>{t("signIn.throttled", { count: Math.ceil(retryAfter / 60) })}</p>
        </div>
      ) : (
        <FormErrors errors={errors} />
      )}
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
        <Field
          label={t("signIn.email")}
          name="email"
          type="email"
          autoComplete="username"
          errors={errors?.email}
          defaultValue={data && "email" in data ? String(data.email) : undefined}
          autoFocus
        />
        <Field
          label={t("signIn.password")}
          name="password"
          type="password"
          autoComplete="current-password"
          errors={errors?.password}
        />
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? t("signIn.submitting") : t("signIn.submit")}
        </button>
      </Form>
    </AuthLayout>
  );
}

export const meta: MetaFunction = ({ matches }) => title(matches, (t) => t("auth:signIn.title"));
