/**
 * The audit viewer by hand: the e2e staff card (ADMIN) filters the log, opens a row's details,
 * runs the tamper check (OK) and downloads the filtered CSV; each use is itself audited.
 */
import { createPrismaClient, type PrismaClient } from "../../lib/db/client";
import { databaseReady } from "../../lib/db/connection";
import { parseEnv } from "../../lib/env";
import { expect, test } from "../fixtures";
import { E2E_DATABASE_ENV, LOGIN_PATH, readCardWorld } from "../fixtures/card";

test.use({ ignoreHTTPSErrors: true });
test.describe.configure({ timeout: 150_000 });

let prisma: PrismaClient;

test.beforeAll(async () => {
  const { url } = await databaseReady(parseEnv({ ...E2E_DATABASE_ENV }));
  prisma = createPrismaClient(url);
});
test.afterAll(async () => {
  await prisma?.$disconnect();
});

test("[ADMIN][AUDIT]: staff filter the audit log, see a row's details, verify the chain (OK) and download the CSV", async ({
  page,
  seriousA11yViolations,
}) => {
  const { residents } = readCardWorld();
  await page.goto(LOGIN_PATH);
  await page.getByTestId("card-login-start").click();
  const chooser = page.locator('[data-login-state="choose-card"]');
  await expect(chooser).toBeVisible({ timeout: 20_000 });
  await chooser
    .getByRole("button", { name: new RegExp(`^${residents.staff.cardName.replace(/[()]/g, "\\$&")}`) })
    .click();
  await expect(page).toHaveURL(/\/mailbox$/, { timeout: 30_000 });

  await page.goto("/admin/audit");
  const filter = page.getByTestId("audit-filter-form");
  await filter.getByLabel("イベントの種類").selectOption("auth.login_succeeded");
  await filter.getByLabel("操作者の種別").selectOption("resident");
  await filter.getByRole("button", { name: "絞り込む" }).click();
  await expect(page).toHaveURL(/type=auth\.login_succeeded/);
  const rows = page.getByTestId("audit-events").locator("tbody tr");
  await expect(rows.first()).toBeVisible();
  for (const type of await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-type")))) {
    expect(type).toBe("auth.login_succeeded");
  }
  const first = rows.first();
  const seq = await first.getAttribute("data-seq");
  await first.getByText(`番号 ${seq} の詳細`).click();
  await expect(first.getByText("ハッシュ", { exact: true })).toBeVisible();
  expect(await seriousA11yViolations(page)).toEqual([]);

  // The tamper check from the page.
  await page.getByRole("button", { name: "検査する" }).click();
  const result = page.getByTestId("audit-verify-result");
  await expect(result.locator('[data-result="ok"]')).toBeVisible({ timeout: 60_000 });
  await expect(result).toContainText("問題ありません");

  // The CSV of the same filter.
  const downloading = page.waitForEvent("download");
  await page.getByTestId("audit-export").click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^ichimai-audit-.*\.csv$/);
  const csv = (await (await import("node:fs/promises")).readFile((await download.path())!, "utf8")).replace(
    /^\uFEFF/,
    "",
  );
  const lines = csv.trim().split(/\r\n/);
  expect(lines[0]).toBe(
    "seq,occurredAt,type,actorType,actorId,subjectResidentId,purpose,channel,ip,userAgent,data,prevHash,hash",
  );
  expect(lines.length).toBeGreaterThan(1);
  for (const line of lines.slice(1)) expect(line.split(",")[2]).toBe("auth.login_succeeded");

  const staff = await prisma.staffMember.findFirstOrThrow({ where: { employeeNumber: "E2E-STAFF-ADMIN" } });
  const own = await prisma.auditEvent.findMany({
    where: { actorId: staff.id, type: { in: ["audit.log_viewed", "audit.chain_verified", "audit.exported"] } },
  });
  expect(new Set(own.map((e) => e.type))).toEqual(
    new Set(["audit.log_viewed", "audit.chain_verified", "audit.exported"]),
  );
});
