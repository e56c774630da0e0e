import { verifyCms } from "../../lib/jpki";
import { canonicalJsonBytes } from "../../lib/mailbox/canonical-json";
import { EXAMPLE_PAYLOADS } from "../../lib/mailbox/document-types/examples";
import { expect, test } from "../fixtures";
import { loginWithCard } from "../fixtures/card-login";
import { readCardWorld } from "../fixtures/card";
import { openMailboxWorld, type TMailboxWorld } from "../partner-api/mailbox-world";

// The card agent serves HTTPS with its own local CA (docs/card-agent-protocol.md#browser-and-node-clients).
test.use({ ignoreHTTPSErrors: true });

let world: TMailboxWorld;

test.beforeAll(async () => {
  world = await openMailboxWorld();
  const residentId = readCardWorld().residents.login.residentId;
  await world.link(residentId, "E2E-LOGIN-POL");
  await world.employer.link(residentId, "E2E-EMP-0042");
});
test.afterAll(async () => {
  await world?.close();
});

test("[MAILBOX][DONE]: a delivered 生命保険料控除証明書 is found by kana search, opened, verified, downloaded and shared with the employer, who verifies it", async ({
  page,
  browser,
  request,
  seriousA11yViolations,
}) => {
  test.setTimeout(60_000);
  const policyNumber = `E2E-UI-${Date.now()}`;
  const payload = { ...EXAMPLE_PAYLOADS["life-insurance-deduction-certificate"], policyNumber };
  const delivered = await request.post("/api/v1/documents", {
    headers: { authorization: world.authorization },
    data: {
      type: "life-insurance-deduction-certificate",
      recipient: { partnerRef: "E2E-LOGIN-POL" },
      payload,
      signature: await world.sign(payload),
    },
  });
  expect(delivered.status()).toBe(201);
  const { id } = (await delivered.json()) as { id: string };

  // Log in with the card (the real card path through the test agent).
  await loginWithCard(page, "login");

  await expect(page.getByTestId("unread-count")).toContainText("未読");
  expect(await seriousA11yViolations(page)).toEqual([]);

  // Kana search for a kanji title, through the GET form.
  await page.getByLabel("キーワード").fill("せいめいほけん");
  await page.getByRole("button", { name: "この条件で表示" }).click();
  await expect(page).toHaveURL(/q=/);
  const row = page.locator(`[data-document-id="${id}"]`);
  await expect(row).toBeVisible();
  await expect(row).toHaveAttribute("data-unread", "");
  await row.getByRole("link").click();

  await expect(page).toHaveURL(new RegExp(`/mailbox/${id}$`));
  await expect(page.getByTestId("document-fields")).toContainText(policyNumber);
  const badge = page.getByTestId("signature-badge");
  await expect(badge).toHaveAttribute("data-valid", "true");
  await badge.locator("summary").click();
  await expect(badge.locator('[data-check="CMS_SIGNATURE"]')).toHaveAttribute("data-ok", "true");
  await expect(badge.locator('[data-check="CERT_PATH"]')).toHaveAttribute("data-ok", "true");
  expect(await seriousA11yViolations(page)).toEqual([]);

  const download = await page.request.get(`/mailbox/${id}/download`);
  expect(download.status()).toBe(200);
  const bundle = (await download.json()) as { payload: { policyNumber: string }; signature: { value: string } };
  expect(bundle.payload.policyNumber).toBe(policyNumber);
  expect(bundle.signature.value.length).toBeGreaterThan(100);

  // The issuer now sees it opened.
  const receipt = await request.get(`/api/v1/documents/${id}`, { headers: { authorization: world.authorization } });
  expect(((await receipt.json()) as { status: string }).status).toBe("opened");

  // [MAILBOX][SHARE]: the resident shares it with the employer, who verifies the same signature.
  await page.getByLabel("共有する連携先").selectOption({ label: "株式会社一枚製作所（E2E）" });
  await page.getByRole("button", { name: "この連携先と共有する" }).click();
  await expect(page.getByTestId("share-result")).toContainText("共有しました");
  await page.reload();
  await expect(page.locator('[data-share-status="open"]').first()).toBeVisible();
  const shares = await request.get("/api/v1/shares", { headers: { authorization: world.employer.authorization } });
  const { shares: open } = (await shares.json()) as { shares: { shareId: string; documentType: string }[] };
  const share = open.find((s) => s.documentType === "life-insurance-deduction-certificate");
  expect(share).toBeDefined();
  const fetched = await request.get(`/api/v1/shares/${share!.shareId}`, {
    headers: { authorization: world.employer.authorization },
  });
  expect(fetched.status()).toBe(200);
  const shared = (await fetched.json()) as { payload: unknown; signature: { value: string } };
  expect(shared.signature.value).toBe(bundle.signature.value);
  const report = await verifyCms({
    signedData: new Uint8Array(Buffer.from(shared.signature.value, "base64")),
    detachedContent: canonicalJsonBytes(shared.payload),
    trustAnchors: [world.trustAnchor],
  });
  expect(report.valid).toBe(true);

  // [MAILBOX][SHARE-QR]: a one-time link comes with a verification QR code; a receiver with no
  // login opens it and verifies the fetched original against the QR facts.
  await page.getByRole("button", { name: "使い捨てリンクを作る" }).click();
  const qr = page.getByTestId("share-verify-qr");
  await expect(qr.getByRole("img", { name: /QRコード/ })).toBeVisible();
  const verifyUrl = await qr.getByTestId("share-verify-link").getAttribute("href");
  expect(verifyUrl).toMatch(/\/verify#q=/);
  const receiver = await browser.newContext();
  try {
    const verifier = await receiver.newPage();
    await verifier.goto(verifyUrl!);
    await verifier.getByTestId("verify-fetch-link").click();
    const result = verifier.getByTestId("verify-result");
    await expect(result.locator("[data-valid]")).toHaveAttribute("data-valid", "true");
    await expect(result.locator('[data-check="qr_digest"]')).toHaveAttribute("data-ok", "true");
    await expect(result).toContainText(policyNumber);
    // The link was one-time: fetching again is refused with its code.
    await verifier.getByTestId("verify-fetch-link").click();
    await expect(result).toContainText("SHARE_USED");
  } finally {
    await receiver.close();
  }
});
