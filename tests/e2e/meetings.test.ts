import { createClient } from "@libsql/client";
import { describe, expect, inject, it } from "vitest";
import type { Page } from "playwright-core";
import { parseCalendar } from "../support/ical";
import { deliverTo, replyMail } from "../support/calendar-replies";
import { hydrated, signedInPage, submit, useBrowser, visit } from "./helpers";

const browser = useBrowser();

async function downloadInvite(page: Page, meetingPath: string) {
  const response = await page.request.get(`${meetingPath}/invite.ics`);
  expect(response.status()).toBe(200);
  return parseCalendar(await response.text());
}

describe("scheduling a meeting", () => {
  it("plans with the slot finder, invites, reschedules, cancels, and a delegate's feed follows", async () => {
    const { context: sec, page } = await signedInPage(browser(), "secretariat@concord.test");
    await visit(page, "/bodies/trilateral-cyber/meetings");
    await page.getByRole("link", { name: "Plan the next meeting" }).click();
    await page.getByRole("heading", { name: "Plan the next meeting" }).waitFor();
    await hydrated(page);
    await page.getByRole("region", { name: "Find a time" }).getByLabel("Format").selectOption({ label: "Virtual" });
    await page.getByRole("button", { name: "Find fair time slots" }).click();
    await page.getByRole("heading", { name: "Fair time slots" }).waitFor();
    await expect(page.getByRole("img", { name: /working hours/ }).isVisible()).resolves.toBe(true);
    await page.getByRole("button", { name: "Schedule this slot" }).first().click();
    await page.waitForURL(/\/meetings\/[\w-]+$/);
    // The address changes as the navigation commits; the page shows once the catalogues it
    // needs have arrived (ADR 039), so wait for it rather than look at once.
    await page.getByText("Draft, not yet announced").first().waitFor();
    const meetingPath = new URL(page.url()).pathname;

    // A virtual meeting without a link: sending asks first.
    await expect(page.getByText("has no link yet").isVisible()).resolves.toBe(true);
    await page.getByLabel("Send without a link").check();
    await submit(page, () => page.getByRole("button", { name: "Send invitations" }).click());
    await page.getByRole("status").filter({ hasText: "queued in the outbox" }).waitFor();
    await expect(page.getByText(/^\W*Scheduled$/).first().isVisible()).resolves.toBe(true);
    const first = await downloadInvite(page, meetingPath);
    expect(first.method).toBe("REQUEST");
    expect(first.events[0].sequence).toBe(0);
    const uid = first.events[0].uid;

    // A delegate subscribes to their personal feed.
    const { context: del, page: delegate } = await signedInPage(browser(), "kr.delegate@concord.test");
    await visit(delegate, "/settings");
    await submit(delegate, () => delegate.getByRole("button", { name: "Create my calendar address" }).click());
    const feedUrl = (await delegate.getByLabel("Your calendar address").textContent())!.trim();
    const feedPath = new URL(feedUrl).pathname;
    const feed = parseCalendar(await (await delegate.request.get(feedPath)).text());
    expect(feed.events.map((e) => e.uid)).toContain(uid);

    // Reschedule: one hour later. SEQUENCE rises in the downloaded file.
    await visit(page, `${meetingPath}/edit`);
    const start = await page.getByLabel("Start time").inputValue();
    const end = await page.getByLabel("End time").inputValue();
    const later = (hhmm: string) => `${String((Number(hhmm.slice(0, 2)) + 1) % 24).padStart(2, "0")}:${hhmm.slice(3)}`;
    await page.getByLabel("Start time").fill(later(start));
    await page.getByLabel("End time").fill(later(end));
    await page.getByRole("button", { name: "Save meeting" }).click();
    await page.waitForURL((u) => u.pathname === meetingPath);
    const second = await downloadInvite(page, meetingPath);
    expect(second.events[0].uid).toBe(uid);
    expect(second.events[0].sequence).toBe(1);
    expect(second.events[0].start!.getTime() - first.events[0].start!.getTime()).toBe(3600_000);

    // The delegate's calendar client accepts the new time: a real REPLY e-mail through SMTP to
    // Concord's reply address, and the delegate's page shows the answer.
    const me = second.events[0].attendees.find((a) => a.email === "kr.delegate@concord.test")!;
    expect(me).toMatchObject({ partstat: "NEEDS-ACTION", rsvp: true });
    expect(second.events[0].organizer?.email).toBe(inject("replyAddress"));
    await deliverTo(
      inject("inboundSmtpUrl"),
      inject("replyAddress"),
      "kr.delegate@concord.test",
      replyMail("outlook", {
        from: { name: me.cn ?? "KR delegate", email: "kr.delegate@concord.test" },
        organizer: inject("replyAddress"),
        uid: uid!,
        sequence: second.events[0].sequence!,
        partstat: "ACCEPTED",
        start: second.events[0].start!,
        end: second.events[0].end!,
      }),
    );
    await visit(delegate, meetingPath);
    await expect(delegate.getByText("You answered: Accepted").isVisible()).resolves.toBe(true);
    await visit(page, meetingPath);
    await expect(page.getByText(/Accepted \(from their calendar\)/).first().isVisible()).resolves.toBe(true);
    await visit(page, "/bodies/trilateral-cyber/outbox");
    await expect(page.getByText("Answer recorded").first().isVisible()).resolves.toBe(true);
    await visit(page, meetingPath);

    // Cancel: METHOD:CANCEL, STATUS:CANCELLED, a higher SEQUENCE; the feed keeps it as cancelled.
    // Cancelling asks first, and for a reason; the reason travels with the cancellation.
    await hydrated(page);
    await page.getByRole("button", { name: "Cancel the meeting…" }).click();
    const dialog = page.getByRole("dialog", { name: /^Cancel the / });
    await dialog.waitFor();
    await dialog.getByLabel("Reason for cancelling").fill("The host postponed the session to next quarter.");
    await submit(page, () => dialog.getByRole("button", { name: "Cancel the meeting", exact: true }).click());
    await page.getByRole("status").filter({ hasText: "has been cancelled" }).waitFor();
    const third = await downloadInvite(page, meetingPath);
    expect(third.method).toBe("CANCEL");
    expect(third.events[0]).toMatchObject({ uid, status: "CANCELLED", sequence: 2 });
    const after = parseCalendar(await (await delegate.request.get(feedPath)).text());
    expect(after.events.find((e) => e.uid === uid)).toMatchObject({ status: "CANCELLED", sequence: 2 });
    // Each invitee's cancellation, mail text and calendar file, carries the reason.
    const store = createClient({ url: `file:${inject("databaseFile")}` });
    const mails = (await store.execute({ sql: "select text, attachment_content from outbox_messages where kind = 'cancellation' and meeting_id = ?", args: [meetingPath.split("/").pop()!] })).rows;
    store.close();
    expect(mails.length).toBeGreaterThan(0);
    for (const mail of mails) {
      expect(String(mail.text)).toContain("The host postponed the session to next quarter.");
      expect(parseCalendar(String(mail.attachment_content)).events[0].description).toContain("The host postponed the session to next quarter.");
    }

    // The outbox shows one invitation, one update and one cancellation per invitee.
    await visit(page, "/bodies/trilateral-cyber/outbox");
    await expect(page.getByRole("heading", { name: "Outbox" }).isVisible()).resolves.toBe(true);
    await expect(page.getByText(/^Cancelled: /).count()).resolves.toBeGreaterThan(0);
    await del.close();
    await sec.close();
  });

  it("lets an invitee answer, and shows times in every capital", async () => {
    const { context, page } = await signedInPage(browser(), "kr.delegate@concord.test");
    await visit(page, "/bodies/trilateral-cyber");
    await page.getByRole("link", { name: "5th meeting" }).first().click();
    await hydrated(page);
    const times = page.getByRole("group", { name: "Time in each capital" });
    // Capitals by city, with the zone names English readers expect.
    for (const city of ["Washington", "Tokyo", "Seoul"]) await expect(times.getByText(city, { exact: true }).isVisible()).resolves.toBe(true);
    await expect(times.getByText(/^(EST|EDT)$/).isVisible()).resolves.toBe(true);
    await expect(times.getByText("JST", { exact: true }).isVisible()).resolves.toBe(true);
    await expect(times.getByText("KST", { exact: true }).isVisible()).resolves.toBe(true);
    await expect(times.getByText(/GMT\+9/).count()).resolves.toBe(0);
    await submit(page, () => page.getByRole("button", { name: "Tentative" }).click());
    await expect(page.getByRole("button", { name: "Tentative" }).getAttribute("aria-pressed")).resolves.toBe("true");
    await expect(page.getByText("You answered: Tentative").isVisible()).resolves.toBe(true);
    await context.close();
  });
});
