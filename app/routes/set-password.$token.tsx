import "~/components/every-page";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { AuthLayout } from "~/components/auth-layout";
import { useTranslation } from "~/components/i18n";
import { Field, FormErrors } from "~/components/ui/field";
import { fieldErrorsFrom } from "~/lib/forms";
import { runAction, formObject } from "~/lib/http.server";
import { title } from "~/lib/meta";
import { sessionCookieFor } from "~/lib/session.server";
import { findPasswordToken, setPasswordWithToken, setPasswordConstraints } from "~/models/people/accounts.server";
import type { I18nHandle } from "~/lib/catalogues";

/** The catalogues this page translates with, beyond its parents' (ADR 039). */
export const handle: I18nHandle = { i18n: ["auth"] };

export async function loader({ params }: LoaderFunctionArgs) {
  const person = await findPasswordToken(params.token ?? "");
  return json({ constraints: setPasswordConstraints, person }, { headers: { "Referrer-Policy": "no-referrer", "Cache-Control": "no-store" } });
}

export async function action(args: ActionFunctionArgs) {
  return runAction(args, async ({ request, params }) => {
    const form = await formObject(request);
    const result = await setPasswordWithToken({
      token: params.token ?? "",
      input: form,
      userAgent: request.headers.get("user-agent"),
    });
    if (!result) return json({ ok: false as const, expired: true }, { status: 410 });
    return redirect(result.stage === "second-factor" ? "/login/two-factor" : "/", { headers: { "Set-Cookie": await sessionCookieFor(result.token) } });
  });
}

export default function SetPasswordRoute() {
  const { person } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useTranslation("auth");
  const errors = fieldErrorsFrom(data);
  const expired = !person || (data && "expired" in data);

  if (expired) {
    return (
      <AuthLayout title={t("setPassword.invalidTitle")}>
        <p>{t("setPassword.invalidBody")}</p>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title={t("setPassword.title")}>
      <p>{t("setPassword.intro", { name: person.name, email: person.email })}</p>
      <FormErrors errors={errors} />
      <Form method="post" className="stack" noValidate>
        <input type="email" name="email" autoComplete="username" value={person.email} readOnly hidden />
        <Field label={t("setPassword.password")} name="password" type="password" autoComplete="new-password" errors={errors?.password} />
        <Field label={t("setPassword.confirm")} name="confirmPassword" type="password" autoComplete="new-password" errors={errors?.confirmPassword} />
        <button type="submit" className="button button--primary">
          {t("setPassword.submit")}
        </button>
      </Form>
    </AuthLayout>
  );
}

export const meta: MetaFunction = ({ matches }) => title(matches, (t) => t("auth:setPassword.title"));
