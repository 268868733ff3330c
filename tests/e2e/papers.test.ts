import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { samplePdf } from "#tests/support/papers";
import { hydrated, signedInPage, submit, useBrowser, visit } from "./helpers";

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

const reviewItem = (page: Page) => page.getByRole("listitem", { name: "Review of action items", exact: true });

describe("the meeting book's papers and the list of participants", () => {
  it("a delegate uploads a paper, another delegation opens it, the receipt appears; the roll feeds the new minutes", async () => {
    const stamp = Date.now().toString(36);
    const title = `Threat assessment ${stamp}`;
    const { page: sec } = await signedInPage(browser(), "secretariat@concord.test");
    const meetingPath = await planMeeting(sec);

    // A US delegate adds a paper to an agenda item.
    const { page: us } = await signedInPage(browser(), "us.delegate@concord.test");
    await visit(us, `${meetingPath}/agenda`);
    const item = reviewItem(us);
    await item.getByRole("region", { name: "Papers" }).waitFor();
    await item.getByRole("button", { name: "Add a paper" }).click();
    const form = item.getByRole("form", { name: "Add a paper" });
    await form.getByLabel("Title").fill(title);
    await form.getByLabel("File").setInputFiles({ name: "assessment.pdf", mimeType: "application/pdf", buffer: Buffer.from(await samplePdf(`Mixers ${stamp}`)) });
    await form.getByLabel("Marking").selectOption("TLP:GREEN");
    await form.getByRole("button", { name: "Upload" }).click();
    const link = item.getByRole("link", { name: /^Download TCCB\/\d+\/INF\.1 / });
    await link.waitFor();
    await expect(item.getByText(title).isVisible()).resolves.toBe(true);

    // The secretariat watches the receipts while a JP delegate opens the paper.
    await visit(sec, `${meetingPath}/agenda`);
    await reviewItem(sec).getByText("Opened by").click();
    await reviewItem(sec).getByText("Nobody has opened it yet.").waitFor();
    const { page: jp } = await signedInPage(browser(), "jp.delegate@concord.test");
    await visit(jp, `${meetingPath}/agenda`);
    const [download] = await Promise.all([jp.waitForEvent("download"), reviewItem(jp).getByRole("link", { name: /^Download TCCB/ }).click()]);
    expect(download.suggestedFilename()).toMatch(/INF\.1 assessment\.pdf$/);
    await reviewItem(sec).getByText(/田中 美咲,/).waitFor({ timeout: 5_000 });

    // The secretariat lists a JP delegate, publishes the list and takes the roll.
    await visit(sec, meetingPath);
    await sec.getByRole("link", { name: "Participants", exact: true }).click();
    await sec.getByRole("heading", { name: /^List of participants/ }).waitFor();
    await hydrated(sec);
    const japan = sec.getByRole("region", { name: "Japan", exact: true });
    await japan.getByText("Add a person for Japan").click();
    await japan.getByLabel("Member").selectOption({ label: "田中 美咲" });
    await submit(sec, () => japan.getByRole("button", { name: "Add to the list" }).click());
    await japan.getByRole("cell", { name: "田中 美咲", exact: true }).waitFor();
    await submit(sec, () => sec.getByRole("button", { name: "Publish the list of participants" }).click());
    await sec.getByRole("heading", { name: /^Published as TCCB\/\d+\/INF\.2$/ }).waitFor();
    await sec.getByLabel("Attendance of 田中 美咲").selectOption({ label: "Remote" });
    await submit(sec, () => sec.getByRole("button", { name: "Save the roll" }).click());
    await sec.getByRole("status").filter({ hasText: "Roll saved." }).waitFor();

    // The new minutes open with the attendance from the roll.
    await visit(sec, `${meetingPath}/minutes`);
    await sec.getByText("田中 美咲 (JP, Expert) — remote").waitFor({ timeout: 15_000 });
    await expect(sec.getByText("Sarah Chen (US").count()).resolves.toBe(0);
  });
});
