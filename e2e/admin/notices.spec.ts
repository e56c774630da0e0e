import "reflect-metadata";
import fs from "node:fs/promises";
import { seedResident } from "../../prisma/seed/factories";
import { expect, test } from "../fixtures";
import { readCardWorld } from "../fixtures/card";
import { loginWithCard } from "../fixtures/card-login";
import { startNoticeWorker, uploadNotice, waitForNoticeDone } from "../fixtures/notices";
import type { TE2ePlatformWorker } from "../fixtures/platform-worker";
import { openE2eDatabase } from "../fixtures/services";

// The card agent serves HTTPS with its own local CA.
test.use({ ignoreHTTPSErrors: true });
test.setTimeout(180_000);

test("[NOTICES][DONE]: staff upload a CSV of three residents (one unknown), the progress reaches 100 %, the report names each line, and the resident finds the town-signed notice in her mailbox", async ({
  page,
  browser,
  seriousA11yViolations,
}) => {
  const { prisma, url } = await openE2eDatabase();
  let worker: TE2ePlatformWorker | undefined;
  try {
    worker = await startNoticeWorker(prisma, url);
    const reader = readCardWorld().residents.noticeReader;
    const other = await seedResident(prisma, { registryNumber: "E2E-NOTICE-NEIGHBOUR" });
    const registry = await prisma.resident.findUniqueOrThrow({ where: { id: reader.residentId } });
    // A title unique to this run: the spec may run again on the same database.
    const stamp = Date.now().toString(36);
    const csv = [
      "registryNumber,day",
      `${registry.registryNumber},12月15日`,
      "E2E-NOBODY-LIVES-HERE,12月16日",
      `${other.registryNumber},12月17日`,
    ].join("\r\n");

    await loginWithCard(page, "staff");
    await page.goto("/admin/notices");
    await expect(page.getByRole("heading", { level: 1, name: "お知らせの一括送付" })).toBeVisible();
    expect(await seriousA11yViolations(page)).toEqual([]);

    // A notice using a value the CSV has no column for is refused on the file field, with a focused summary.
    const form = page.getByTestId("notice-upload");
    await form.getByLabel("件名（日本語）").fill("t");
    await form.getByLabel("本文（日本語）").fill("{{amount}}円");
    await form.getByLabel("送付先のCSVファイル").setInputFiles({
      name: "x.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("registryNumber\nA-1\n"),
    });
    await page.getByTestId("notice-submit").click();
    await expect(page.getByTestId("notice-csv-error")).toContainText("CSVの列にないもの");
    await expect(page.locator("[data-error-summary]")).toBeFocused();

    await page.goto("/admin/notices");
    await uploadNotice(page, {
      title: `粗大ごみ収集日のお知らせ ${stamp}`,
      body: "{{氏名}}様　収集日は{{day}}です。",
      titleEn: `Bulky waste collection ${stamp}`,
      bodyEn: "Collection day: {{day}}.",
      fileName: "gomi.csv",
      csv,
    });
    await waitForNoticeDone(page);
    const progress = page.getByRole("progressbar", { name: "送付の進み具合" });
    await expect(progress).toHaveAttribute("value", "3");
    await expect(progress).toHaveAttribute("max", "3");
    await expect(page.getByTestId("notice-progress-text")).toHaveText("3 / 3 行（100%）");
    await expect(page.getByTestId("notice-delivered")).toHaveText("2");
    await expect(page.getByTestId("notice-refused")).toHaveText("1");
    await expect(page.getByTestId("notice-live")).toContainText("完了");
    await page.reload();
    await expect(page.getByTestId("notice-refusals").locator("[data-code]")).toHaveAttribute(
      "data-code",
      "NOTICE_RESIDENT_UNKNOWN",
    );
    expect(await seriousA11yViolations(page)).toEqual([]);

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("notice-report").click()]);
    const report = await fs.readFile((await download.path()) ?? "", "utf8");
    const rows = report
      .replace(/^\ufeff/, "")
      .trim()
      .split("\n");
    expect(rows[0]).toBe("line,registryNumber,status,code,documentId");
    expect(rows.slice(1).map((r) => r.split(",").slice(0, 4).join(","))).toEqual([
      `2,${registry.registryNumber},delivered,`,
      "3,E2E-NOBODY-LIVES-HERE,refused,NOTICE_RESIDENT_UNKNOWN",
      `4,${other.registryNumber},delivered,`,
    ]);

    // The same upload again: the same batch, nothing sent twice.
    await page.goto("/admin/notices");
    await uploadNotice(page, {
      title: `粗大ごみ収集日のお知らせ ${stamp}`,
      body: "{{氏名}}様　収集日は{{day}}です。",
      titleEn: `Bulky waste collection ${stamp}`,
      bodyEn: "Collection day: {{day}}.",
      fileName: "gomi.csv",
      csv,
    });
    await expect(page).toHaveURL(/existing=1/);

    // The resident: the notice in her mailbox, addressed from the registry, signed by the town.
    const residentContext = await browser.newContext({ ignoreHTTPSErrors: true });
    const resident = await residentContext.newPage();
    await loginWithCard(resident, "noticeReader");
    await resident.getByRole("link", { name: new RegExp(`粗大ごみ収集日のお知らせ ${stamp}`) }).click();
    await expect(resident).toHaveURL(/\/mailbox\/[0-9a-f-]{36}$/);
    const main = resident.getByRole("main");
    await expect(main).toContainText(`${registry.familyName} ${registry.givenName}様　収集日は12月15日です。`);
    await expect(main).toContainText(registry.address);
    await residentContext.close();
    expect(
      await prisma.mailboxDocument.count({
        where: {
          residentId: reader.residentId,
          type: "municipal-notice",
          payload: { path: ["title"], equals: `粗大ごみ収集日のお知らせ ${stamp}` },
        },
      }),
    ).toBe(1);
  } finally {
    await worker?.stop();
    await prisma.$disconnect();
  }
});
