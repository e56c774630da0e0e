import type { Browser, Page } from "@playwright/test";
import { createPrismaClient, type PrismaClient } from "../../lib/db/client";
import { databaseReady } from "../../lib/db/connection";
import { parseEnv } from "../../lib/env";
import { expect, test } from "../fixtures";
import { loginWithCard } from "../fixtures/card-login";
import { E2E_DATABASE_ENV, readCardWorld } from "../fixtures/card";
import { openMailboxWorld, type TMailboxWorld } from "../partner-api/mailbox-world";

// The card agent serves HTTPS with its own local CA (docs/card-agent-protocol.md#browser-and-node-clients).
test.use({ ignoreHTTPSErrors: true });

let world: TMailboxWorld;
let prisma: PrismaClient;
const REF = "E2E-PROXY-POL";

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: "ja-JP", timezoneId: "Asia/Tokyo" });
  return context.newPage();
}

test.beforeAll(async () => {
  world = await openMailboxWorld();
  const config = parseEnv({ ...E2E_DATABASE_ENV });
  prisma = createPrismaClient((await databaseReady(config)).url);
  await world.link(readCardWorld().residents.login.residentId, REF);
});
test.afterAll(async () => {
  await world?.link(readCardWorld().residents.login.residentId, "E2E-LOGIN-POL");
  await prisma?.$disconnect();
  await world?.close();
});

test("[PROXY][FLOW]: a resident grants a family member insurance access; the proxy reads only that; the principal is notified, freezes and revokes", async ({
  page,
  browser,
  request,
  seriousA11yViolations,
}) => {
  test.setTimeout(120_000);
  const { residents } = readCardWorld();
  const principalId = residents.login.residentId;
  const proxyPerson = await prisma.resident.findUniqueOrThrow({
    where: { id: residents.qr.residentId },
    select: { registryNumber: true, dateOfBirth: true },
  });
  const policyNumber = `E2E-PROXY-${Date.now()}`;
  const documentId = await world.deliverLifeInsurance(request, REF, policyNumber);
  // A document in a domain the proxy will not get.
  const hidden = await prisma.mailboxDocument.findFirst({
    where: { residentId: principalId, domain: { not: "insurance" } },
    select: { id: true },
  });

  // The principal adds the proxy.
  await loginWithCard(page, "login");
  await page.goto("/settings/proxies");
  await expect(page.getByRole("heading", { level: 1, name: "代理人" })).toBeVisible();
  expect(await seriousA11yViolations(page)).toEqual([]);
  const form = page.getByTestId("proxy-grant-form");
  await form.getByLabel("代理人の登録番号").fill(proxyPerson.registryNumber);
  await form.getByLabel("代理人の生年月日").fill("1900-01-01");
  await form.getByRole("checkbox", { name: "保険" }).check();
  const endsOn = new Date(Date.now() + 9 * 3_600_000 + 30 * 86_400_000).toISOString().slice(0, 10);
  await form.getByLabel("期限（この日まで）").fill(endsOn);
  await form.getByRole("button", { name: "代理人を登録する" }).click();
  // A wrong date of birth says only that no one matches.
  await expect(page.getByTestId("proxy-grant-result")).toContainText("一致する方が見つかりません");
  await form.getByLabel("代理人の生年月日").fill(proxyPerson.dateOfBirth.toISOString().slice(0, 10));
  await form.getByRole("button", { name: "代理人を登録する" }).click();
  await expect(page.getByTestId("proxy-grant-result")).toContainText("代理人を登録しました");
  const grants = page.getByTestId("proxy-grants");
  await expect(grants.getByRole("rowheader", { name: residents.qr.displayName })).toBeVisible();
  await expect(grants).toContainText("有効");
  expect(await seriousA11yViolations(page)).toEqual([]);

  // The proxy, in their own browser, sees the insurance document and nothing else.
  const proxyPage = await newPage(browser);
  await loginWithCard(proxyPage, "qr");
  await proxyPage.goto("/settings/proxies");
  await proxyPage.getByRole("link", { name: `${residents.login.displayName}さんの私書箱を見る` }).click();
  await expect(proxyPage).toHaveURL(new RegExp(`/proxy/${principalId}/mailbox$`));
  await expect(proxyPage.getByTestId("proxy-scope")).toContainText("保険");
  const row = proxyPage.locator(`[data-document-id="${documentId}"]`);
  await expect(row).toBeVisible();
  expect(await seriousA11yViolations(proxyPage)).toEqual([]);
  if (hidden) await expect(proxyPage.locator(`[data-document-id="${hidden.id}"]`)).toHaveCount(0);
  await row.getByRole("link").click();
  await expect(proxyPage.getByTestId("proxy-document-fields")).toContainText(policyNumber);
  expect(await seriousA11yViolations(proxyPage)).toEqual([]);
  // [PROXY][DOWNLOAD]: the raw JSON and both downloads, with the same components as the owner's view.
  await proxyPage.getByText("元のデータ（JSON）").click();
  await expect(proxyPage.getByTestId("raw-json")).toContainText(policyNumber);
  await expect(proxyPage.getByTestId("signature-badge")).toHaveAttribute("data-valid", "true");
  const docUrl = `/proxy/${principalId}/mailbox/${documentId}`;
  const json = await proxyPage.request.get(`${docUrl}/download`);
  expect(json.status()).toBe(200);
  const bundle = (await json.json()) as { payload: { policyNumber: string }; signature: { value: string } };
  expect(bundle.payload.policyNumber).toBe(policyNumber);
  expect(bundle.signature.value.length).toBeGreaterThan(100);
  const pdf = await proxyPage.request.get(`${docUrl}/pdf`);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  expect((await pdf.body()).subarray(0, 5).toString("latin1")).toBe("%PDF-");
  if (hidden) {
    const refused = await proxyPage.request.get(`/proxy/${principalId}/mailbox/${hidden.id}/download`);
    expect(refused.status()).toBe(404);
  }
  // Out of scope: the same "not found" as a missing document.
  if (hidden) {
    await proxyPage.goto(`/proxy/${principalId}/mailbox/${hidden.id}`);
    await expect(proxyPage.locator('[data-proxy-error="NOT_FOUND"]')).toBeVisible();
  }

  // The principal is told, in the notices and the access log.
  await page.reload();
  const notices = page.getByRole("table", { name: "代理人の操作の通知（新しい順）" });
  await expect(notices.locator('[data-notice-action="read"]').first()).toContainText(residents.qr.displayName);
  await expect(notices.locator('[data-notice-action="downloaded"]').first()).toContainText(residents.qr.displayName);
  await page.goto("/settings/access-log");
  await expect(page.locator('[data-actor-type="proxy"]').first()).toContainText(
    `代理人：${residents.qr.displayName.replace(" ", "\u3000")}`,
  );

  // Protected-person setting: the proxy is refused at once; lifting it restores the grant.
  await page.goto("/settings/proxies");
  await page.getByRole("button", { name: "すべての代理人を止める" }).click();
  await expect(page.getByTestId("proxy-protection")).toHaveAttribute("data-frozen", "true");
  await proxyPage.goto(`/proxy/${principalId}/mailbox`);
  await expect(proxyPage.locator("[data-proxy-forbidden]")).toBeVisible();
  await expect(proxyPage.locator(`[data-document-id="${documentId}"]`)).toHaveCount(0);
  await page.getByRole("button", { name: "代理人の停止を解除する" }).click();
  await expect(page.getByTestId("proxy-protection")).toHaveAttribute("data-frozen", "false");
  await proxyPage.reload();
  await expect(proxyPage.locator(`[data-document-id="${documentId}"]`)).toBeVisible();

  // Revoking the grant (with confirmation) ends it.
  const grantRow = grants.getByRole("row").filter({ hasText: "有効" }).first();
  await grantRow.getByRole("button", { name: `${residents.qr.displayName}の代理権限を取り消す` }).click();
  await grantRow.getByRole("button", { name: /^取り消す:/ }).click();
  await expect(page.getByTestId("proxy-grants-result")).toContainText("取り消しました");
  await expect(grants).toContainText("取り消し済み");
  await proxyPage.reload();
  await expect(proxyPage.locator("[data-proxy-forbidden]")).toBeVisible();
  await proxyPage.context().close();
});
