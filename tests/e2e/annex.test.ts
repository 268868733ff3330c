import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { rawCollab } from "#tests/support/raw-collab";
import { baseUrl, hydrated, signedInPage, submit, useBrowser, visit } from "./helpers";

const browser = useBrowser();

async function planMeeting(page: Page) {
  await visit(page, "/bodies/trilateral-cyber/meetings");
  await page.getByRole("link", { name: "Plan the next meeting" }).click();
  await page.getByRole("heading", { name: "Plan the next meeting" }).waitFor();
  await hydrated(page);
  await page.getByRole("region", { name: "Find a time" }).getByLabel("Format").selectOption({ label: "Virtual" });
  await page.getByRole("button", { name: "Find fair time slots" }).click();
  await page.getByRole("button", { name: "Schedule this slot" }).first().click();
  await page.waitForURL(/\/meetings\/[\w-]+$/);
  await hydrated(page);
  return new URL(page.url()).pathname;
}

/**
 * The restricted annex (ADR 037) as people use it: the secretariat publishes a list of
 * participants with the US head on it; the head opens the annex from the minutes and types in it;
 * a JP delegate, not on the list, sees no annex at all, and a bare connection asking for it is
 * refused with a reason and sent nothing. Taken off the list, the head loses the open annex at once.
 */
describe("the restricted annex", () => {
  it("a head on the list of participants types in the annex; a delegate not on it sees no link and a raw connection is refused; off the list, the head's annex goes", async () => {
    const stamp = Date.now().toString(36);
    const { page: sec } = await signedInPage(browser(), "secretariat@concord.test");
    const meetingPath = await planMeeting(sec);
    const meetingId = meetingPath.split("/").at(-1)!;

    // The secretariat lists the US head and publishes the list: the meeting's TLP:RED audience.
    await visit(sec, `${meetingPath}/participants`);
    const us = sec.getByRole("region", { name: "United States", exact: true });
    for (const name of ["Michael Reyes", "Sarah Chen"]) {
      // The form stays open after an addition.
      if (!(await us.getByLabel("Member").isVisible())) await us.getByText("Add a person for United States").click();
      await us.getByLabel("Member").selectOption({ label: name });
      await submit(sec, () => us.getByRole("button", { name: "Add to the list" }).click());
      await us.getByRole("cell", { name, exact: true }).waitFor();
    }
    await submit(sec, () => sec.getByRole("button", { name: "Publish the list of participants" }).click());
    await sec.getByRole("heading", { name: /^Published as / }).waitFor();

    // The head finds the annex from the minutes, under the minutes' own marking, opens it and types.
    const { page: head } = await signedInPage(browser(), "us.head@concord.test");
    await visit(head, `${meetingPath}/minutes`);
    const note = head.getByRole("note").filter({ hasText: "Shared minutes, marked TLP:AMBER" });
    await note.waitFor();
    await note.getByRole("link", { name: "Restricted annex (TLP:RED)" }).click();
    await head.getByRole("heading", { name: /^Restricted annex to the minutes of the/ }).waitFor();
    await hydrated(head);
    await head.getByRole("note").filter({ hasText: "Restricted annex, marked TLP:RED." }).getByText("published list of participants").waitFor();
    await submit(head, () => head.getByRole("button", { name: "Open the restricted annex" }).click());
    const annex = head.getByRole("textbox", { name: "Restricted annex text" });
    await annex.waitFor();
    await head.getByText("Saved: the server has every change.").waitFor();
    await annex.locator(":scope > *").last().click();
    await head.keyboard.press("Control+End");
    await head.keyboard.type(`Source protection ${stamp}`, { delay: 5 });
    await head.getByText("Saved: the server has every change.").waitFor();
    // Stored on the server, not only in this browser: the export (made out to the head) holds it.
    const exported = await head.request.get(`${meetingPath}/minutes/annex/export.md`);
    expect(exported.status()).toBe(200);
    const markdown = await exported.text();
    expect(markdown).toContain(`Source protection ${stamp}`);
    expect(markdown).toContain("TLP:RED");
    expect(markdown).toContain("Michael Reyes");

    // A JP delegate, not on the list: the minutes say nothing of an annex, its page is not found.
    const { page: jp, context: jpContext } = await signedInPage(browser(), "jp.delegate@concord.test");
    await visit(jp, `${meetingPath}/minutes`);
    await jp.getByRole("note").filter({ hasText: "Shared minutes, marked TLP:AMBER" }).waitFor();
    await expect(jp.getByRole("link", { name: /Restricted annex/ }).count()).resolves.toBe(0);
    expect((await jp.goto(`${meetingPath}/minutes/annex`))?.status()).toBe(404);

    // Their session on a bare Hocuspocus client asking for the annex: refused with a reason, sent nothing.
    const cookie = (await jpContext.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    const raw = await rawCollab({ url: baseUrl(), cookie, documentName: `annex:${meetingId}` });
    try {
      expect(await raw.answer).toEqual({ admitted: false, reason: "not-found" });
      expect(raw.syncMessages()).toBe(0);
      expect(raw.doc.getXmlFragment("default").length).toBe(0);
    } finally {
      raw.socket.close();
    }

    // The head is taken off the list and it is published again: their open annex goes at once.
    await visit(sec, `${meetingPath}/participants`);
    await submit(sec, () => sec.getByRole("button", { name: "Remove Michael Reyes" }).click());
    await submit(sec, () => sec.getByRole("button", { name: "Publish the list again as a revision" }).click());
    await head.getByRole("heading", { name: "Page not found" }).waitFor({ timeout: 15_000 });
    await expect(head.getByText(`Source protection ${stamp}`).count()).resolves.toBe(0);
  });
});
