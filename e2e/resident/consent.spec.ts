import { createPrismaClient, type PrismaClient } from "../../lib/db/client";
import { databaseReady } from "../../lib/db/connection";
import { parseEnv } from "../../lib/env";
import { EXAMPLE_PAYLOADS } from "../../lib/mailbox/document-types/examples";
import { shareDocument } from "../../lib/mailbox/share-document";
import { expect, test } from "../fixtures";
import { loginWithCard } from "../fixtures/card-login";
import { E2E_DATABASE_ENV, readCardWorld } from "../fixtures/card";
import { E2E_EMPLOYER, E2E_INSURER, openMailboxWorld, type TMailboxWorld } from "../partner-api/mailbox-world";

// The card agent serves HTTPS with its own local CA (docs/card-agent-protocol.md#browser-and-node-clients).
test.use({ ignoreHTTPSErrors: true });

let world: TMailboxWorld;
let prisma: PrismaClient;
const REF = "E2E-CONSENT-POL";

test.beforeAll(async () => {
  world = await openMailboxWorld();
  const config = parseEnv({ ...E2E_DATABASE_ENV });
  prisma = createPrismaClient((await databaseReady(config)).url);
  const residentId = readCardWorld().residents.login.residentId;
  await world.link(residentId, REF);
  await world.employer.link(residentId, "E2E-EMP-0042");
});
test.afterAll(async () => {
  // Leave the resident linked as the other mailbox specs expect.
  const residentId = readCardWorld().residents.login.residentId;
  await world?.link(residentId, "E2E-LOGIN-POL");
  await prisma?.$disconnect();
  await world?.close();
});

test("[CONSENT][LEDGER]: the resident revokes a partner's read access and its delivery consent; delivery is then refused", async ({
  page,
  request,
  seriousA11yViolations,
}) => {
  const residentId = readCardWorld().residents.login.residentId;
  const payload = {
    ...EXAMPLE_PAYLOADS["life-insurance-deduction-certificate"],
    policyNumber: `E2E-CONSENT-${Date.now()}`,
  };
  const signed = async () => ({
    type: "life-insurance-deduction-certificate",
    recipient: { partnerRef: REF },
    payload,
    signature: await world.sign(payload),
  });
  const delivered = await request.post("/api/v1/documents", {
    headers: { authorization: world.authorization },
    data: await signed(),
  });
  expect(delivered.status()).toBe(201);
  const { id } = (await delivered.json()) as { id: string };
  await shareDocument(prisma, {
    residentId,
    documentId: id,
    target: { partnerId: world.employer.partnerId },
    channel: "pc",
  });

  await loginWithCard(page, "login");
  await page.goto("/settings/consents");
  await expect(page.getByRole("heading", { level: 1, name: "同意の管理" })).toBeVisible();
  const delivery = page.getByTestId("consents-delivery");
  const reading = page.getByTestId("consents-reading");
  await expect(delivery.getByRole("table", { name: "書類を届けてよい連携先" })).toBeVisible();
  await expect(delivery.getByRole("rowheader", { name: E2E_INSURER.name })).toBeVisible();
  // Each link says what it allows (its purposes), not only that it exists.
  await expect(
    delivery.getByRole("row").filter({ has: page.getByRole("rowheader", { name: E2E_INSURER.name }) }),
  ).toContainText("書類をあなたの私書箱に届ける");
  await expect(reading.getByRole("rowheader", { name: E2E_EMPLOYER.name }).first()).toBeVisible();
  expect(await seriousA11yViolations(page)).toEqual([]);

  // Revoke the employer's read access of this document (lib/mailbox revokeShare), after confirming.
  const shareRows = await prisma.documentShare.findMany({
    where: { documentId: id, revokedAt: null },
    select: { id: true },
  });
  expect(shareRows).toHaveLength(1);
  const shareRow = reading.locator(`[data-row-id="${shareRows[0]!.id}"]`);
  await shareRow.getByRole("button", { name: /の共有を取り消す$/ }).click();
  await expect(shareRow.getByText("本当に取り消しますか")).toBeFocused();
  expect(await seriousA11yViolations(page)).toEqual([]);
  await shareRow.getByRole("button", { name: /^取り消す:/ }).click();
  await expect(page.locator(`[data-row-id="${shareRows[0]!.id}"]`)).toHaveCount(0);
  expect((await prisma.documentShare.findUniqueOrThrow({ where: { id: shareRows[0]!.id } })).revokedAt).not.toBeNull();

  // Withdraw the insurer's delivery consent; cancelling first changes nothing.
  const insurerRow = delivery.getByRole("row").filter({ has: page.getByRole("rowheader", { name: E2E_INSURER.name }) });
  await insurerRow.getByRole("button", { name: `${E2E_INSURER.name}からの受け取りをやめる` }).click();
  await insurerRow.getByRole("button", { name: "やめる", exact: true }).click();
  await expect(insurerRow.getByRole("button", { name: `${E2E_INSURER.name}からの受け取りをやめる` })).toBeVisible();
  await insurerRow.getByRole("button", { name: `${E2E_INSURER.name}からの受け取りをやめる` }).click();
  await insurerRow.getByRole("button", { name: /^取り消す:/ }).click();
  await expect(page.getByTestId("consents-delivery-result")).toContainText("取り消しました");
  await expect(delivery.getByRole("rowheader", { name: E2E_INSURER.name })).toHaveCount(0);

  const again = { ...payload, policyNumber: `${payload.policyNumber}-2` };
  const refused = await request.post("/api/v1/documents", {
    headers: { authorization: world.authorization },
    data: { ...(await signed()), payload: again, signature: await world.sign(again) },
  });
  expect(refused.status()).toBe(403);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("RECIPIENT_NOT_LINKED");
});
