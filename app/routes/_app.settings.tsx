import "~/components/every-page";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/components/i18n";
import { ErrorList, Field, FormErrors, SelectField } from "~/components/ui/field";
import { fieldErrorsFrom } from "~/lib/forms";
import { runAction, formObject, runLoader } from "~/lib/http.server";
import { localeNames, locales } from "~/lib/i18n";
import { title } from "~/lib/meta";
import { requireUser } from "~/models/people/current-user.server";
import { timeZones } from "~/lib/time-zones";
import { changePassword, getProfile, signOutOtherSessions, updatePreferences, preferencesConstraints, changePasswordConstraints } from "~/models/people/accounts.server";
import { listSessions } from "~/models/people/sessions.server";
import {
  cancelTotpSetup,
  confirmTotp,
  disableTotp,
  passkeyRegistrationOptions,
  pendingTotpSetup,
  regenerateRecoveryCodes,
  registerPasskey,
  removePasskey,
  startTotpSetup,
  twoFactorStatus,
} from "~/models/people/two-factor.server";
import { TwoFactorSection } from "~/components/settings/two-factor-section";
import { SessionsSection } from "~/components/settings/sessions-section";
import { createFeedToken, getCalendarReminder, listFeedTokens, REMINDER_CHOICES, revokeFeedToken, setCalendarReminder } from "~/models/meetings/calendar.server";
import { CopyButton } from "~/components/copy-button";
import { Time } from "~/components/time";
import { getNotificationSetting, NOTIFICATION_CHOICES, setNotificationSetting } from "~/models/notifications/setting.server";
import type { I18nHandle } from "~/lib/catalogues";

/** The catalogues this page translates with, beyond its parents' (ADR 039). */
export const handle: I18nHandle = { i18n: ["calendar", "settings"] };

export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request }) => {
    const user = await requireUser(request);
    const profile = (await getProfile(user.id))!;
    const feed = (await listFeedTokens({ actor: user })).find((f) => f.bodyId === null) ?? null;
    const status = await twoFactorStatus(user.id);
    const setup = status.totp ? null : await pendingTotpSetup({ actor: user });
    const sessions = await listSessions({ actor: user, sessionId: user.sessionId });
    return json({
      constraints: { ...preferencesConstraints, ...changePasswordConstraints },
      profile,
      zones: timeZones(),
      feed,
      reminder: await getCalendarReminder({ actor: user }),
      reminderChoices: [...REMINDER_CHOICES],
      notifications: await getNotificationSetting({ actor: user }),
      notificationChoices: [...NOTIFICATION_CHOICES],
      twoFactor: { ...status, setup },
      sessions,
      mustSetUp: user.mustSetUpTwoFactor,
    });
  });
}

export async function action(args: ActionFunctionArgs) {
  return runAction(args, async ({ request }) => {
    const user = await requireUser(request);
    const form = await formObject(request);
    if (form.intent === "create-feed") {
      return json({ ok: true as const, intent: "feed", done: "calendar:feed.created", feedUrl: await createFeedToken({ actor: user }) });
    }
    if (form.intent === "revoke-feed") {
      await revokeFeedToken({ actor: user });
      return json({ ok: true as const, intent: "feed", done: "calendar:feed.revoked" });
    }
    const me = { actor: user, sessionId: user.sessionId };
    switch (form.intent) {
      case "totp-start":
        await startTotpSetup(me);
        return json({ ok: true as const, intent: "two-factor", done: "twoFactor.totp.scanNow" });
      case "totp-cancel":
        await cancelTotpSetup(me);
        return json({ ok: true as const, intent: "two-factor", done: "twoFactor.totp.cancelled" });
      case "totp-confirm": {
        const { recoveryCodes } = await confirmTotp({ ...me, input: form });
        return json({ ok: true as const, intent: "two-factor", done: "twoFactor.totp.enabled", recoveryCodes });
      }
      case "totp-disable":
        await disableTotp({ ...me, input: form });
        return json({ ok: true as const, intent: "two-factor", done: "twoFactor.totp.disabled" });
      case "passkey-options":
        return json({ ok: true as const, intent: "passkey-options", options: await passkeyRegistrationOptions(me) });
      case "passkey-add": {
        const { recoveryCodes } = await registerPasskey({ ...me, input: form });
        return json({ ok: true as const, intent: "two-factor", done: "twoFactor.passkey.added_done", recoveryCodes });
      }
      case "passkey-remove":
        await removePasskey({ ...me, input: form });
        return json({ ok: true as const, intent: "two-factor", done: "twoFactor.passkey.removed" });
      case "recovery-regenerate":
        return json({ ok: true as const, intent: "two-factor", done: "twoFactor.recovery.regenerated", recoveryCodes: await regenerateRecoveryCodes(me) });
      case "sign-out-others":
        await signOutOtherSessions(me);
        return json({ ok: true as const, intent: "sessions", done: "sessions.signedOutOthers" });
    }
    if (form.intent === "notifications") {
      await setNotificationSetting({ actor: user, input: form });
      return json({ ok: true as const, intent: "notifications", done: "notifications.saved" });
    }
    if (form.intent === "reminder") {
      await setCalendarReminder({ actor: user, input: form });
      return json({ ok: true as const, intent: "reminder", done: "calendar:reminder.saved" });
    }
    if (form.intent === "password") {
      await changePassword({ actor: user, input: form, sessionId: user.sessionId });
      return json({ ok: true as const, intent: "password", done: "password.changed" });
    }
    await updatePreferences({ actor: user, input: form });
    return json({ ok: true as const, intent: "profile", done: "profile.saved" });
  });
}

export default function SettingsRoute() {
  const { profile, zones, feed, reminder, reminderChoices, notifications, notificationChoices, twoFactor, sessions, mustSetUp } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useTranslation("settings");
  const errors = fieldErrorsFrom(data);
  const done = data && data.ok ? data : null;

  return (
    <div className="page prose">
      <h1>{t("title")}</h1>
      {done && "done" in done && done.intent !== "feed" ? (
        <p className="alert alert--ok" role="status">
          {t(done.done)}
        </p>
      ) : null}
      <FormErrors errors={errors} />
      <section className="card" aria-labelledby="profile-title">
        <h2 id="profile-title">{t("profile.title")}</h2>
        <Form method="post" noValidate className="stack">
          <input type="hidden" name="intent" value="profile" />
          <Field label={t("profile.name")} name="name" defaultValue={profile.name} autoComplete="name" errors={errors?.name} />
          <SelectField label={t("profile.language")} name="locale" defaultValue={profile.locale ?? ""} errors={errors?.locale}>
            <option value="">{t("profile.languageDefault")}</option>
            {locales.map((l) => (
              <option key={l} value={l} lang={l}>
                {localeNames[l]}
              </option>
            ))}
          </SelectField>
          <SelectField
            label={t("profile.timeZone")}
            name="timeZone"
            defaultValue={profile.timeZone ?? ""}
            hint={t("profile.timeZoneHint")}
            errors={errors?.timeZone}
          >
            <option value="">{t("profile.timeZoneDefault", { zone: profile.effectiveTimeZone })}</option>
            {zones.map((z) => (
              <option key={z} value={z}>
                {z.replace(/_/g, " ")}
              </option>
            ))}
          </SelectField>
          <div className="form-actions">
            <button type="submit" className="button button--primary">
              {t("profile.submit")}
            </button>
          </div>
        </Form>
      </section>

      <section className="card" aria-labelledby="feed-title" style={{ marginTop: "1rem" }}>
        <h2 id="feed-title">{t("calendar:feed.title")}</h2>
        <p className="muted small">{t("calendar:feed.intro")}</p>
        {done && done.intent === "feed" && "done" in done ? (
          <div className="alert alert--ok" role="status">
            <p>{t(done.done)}</p>
            {"feedUrl" in done && done.feedUrl ? (
              <>
                <p className="secret" aria-label={t("calendar:feed.address")}>
                  {String(done.feedUrl)}
                </p>
                <CopyButton text={String(done.feedUrl)} label={t("calendar:feed.copy")} />
              </>
            ) : null}
          </div>
        ) : null}
        {feed ? (
          <p className="small">
            {t("calendar:feed.active")}{" "}
            <Time value={feed.createdAt} zone={profile.effectiveTimeZone} style="date" />
            {" · "}
            {feed.lastUsedAt ? (
              <>
                {t("calendar:feed.lastUsed")} <Time value={feed.lastUsedAt} zone={profile.effectiveTimeZone} />
              </>
            ) : (
              t("calendar:feed.neverUsed")
            )}
          </p>
        ) : (
          <p className="small muted">{t("calendar:feed.none")}</p>
        )}
        <Form method="post" className="row">
          <button type="submit" name="intent" value="create-feed" className="button">
            {feed ? t("calendar:feed.rotate") : t("calendar:feed.create")}
          </button>
          {feed ? (
            <button type="submit" name="intent" value="revoke-feed" className="button button--danger">
              {t("calendar:feed.revoke")}
            </button>
          ) : null}
        </Form>
      </section>

      <section className="card" aria-labelledby="notifications-title" style={{ marginTop: "1rem" }}>
        <h2 id="notifications-title">{t("notifications.title")}</h2>
        <p className="muted small">{t("notifications.intro")}</p>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="notifications" />
          <fieldset className="choices">
            <legend>{t("notifications.legend")}</legend>
            {notificationChoices.map((choice) => (
              <label key={choice} className="choice">
                <input type="radio" name="notifications" value={choice} defaultChecked={notifications === choice} aria-describedby={`notifications-${choice}-hint`} />
                <span>
                  <strong>{t(`notifications.choice.${choice}`)}</strong>
                  <span id={`notifications-${choice}-hint`} className="small muted choice__hint">
                    {t(`notifications.hint.${choice}`)}
                  </span>
                </span>
              </label>
            ))}
            <ErrorList errors={errors?.notifications} />
          </fieldset>
          <div className="form-actions">
            <button type="submit" className="button">
              {t("notifications.save")}
            </button>
          </div>
        </Form>
      </section>

      <section className="card" aria-labelledby="reminder-title" style={{ marginTop: "1rem" }}>
        <h2 id="reminder-title">{t("calendar:reminder.title")}</h2>
        <p className="muted small">{t("calendar:reminder.intro")}</p>
        <Form method="post">
          <input type="hidden" name="intent" value="reminder" />
          <SelectField label={t("calendar:reminder.label")} name="reminderMinutes" defaultValue={reminder === null ? "" : String(reminder)} errors={errors?.reminderMinutes}>
            <option value="">{t("calendar:reminder.none")}</option>
            {reminderChoices.map((m) => (
              <option key={m} value={m}>
                {m >= 60 ? t("calendar:reminder.hours", { count: m / 60 }) : t("calendar:reminder.minutes", { count: m })}
              </option>
            ))}
          </SelectField>
          <div className="form-actions">
            <button type="submit" className="button">
              {t("calendar:reminder.save")}
            </button>
          </div>
        </Form>
      </section>

      <TwoFactorSection
        status={twoFactor}
        zone={profile.effectiveTimeZone}
        errors={errors}
        mustSetUp={mustSetUp}
        recoveryCodes={done && "recoveryCodes" in done && Array.isArray(done.recoveryCodes) ? (done.recoveryCodes as string[]) : null}
      />

      <SessionsSection sessions={sessions} zone={profile.effectiveTimeZone} />

      <section className="card" aria-labelledby="password-title" style={{ marginTop: "1rem" }}>
        <h2 id="password-title">{t("password.title")}</h2>
        <Form method="post" noValidate className="stack">
          <input type="hidden" name="intent" value="password" />
          <input type="email" name="email" autoComplete="username" value={profile.email} readOnly hidden />
          <Field label={t("password.current")} name="currentPassword" type="password" autoComplete="current-password" errors={errors?.currentPassword} />
          <Field label={t("password.new")} name="newPassword" type="password" autoComplete="new-password" hint={t("password.newHint")} errors={errors?.newPassword} />
          <Field label={t("password.confirm")} name="confirmPassword" type="password" autoComplete="new-password" errors={errors?.confirmPassword} />
          <div className="form-actions">
            <button type="submit" className="button button--primary">
              {t("password.submit")}
            </button>
          </div>
        </Form>
      </section>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => title(matches, (t) => t("settings:title"));
