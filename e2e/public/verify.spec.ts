import { createHash } from "node:crypto";
import { sha256Hex } from "../../lib/crypto/sha256";
import { canonicalJsonBytes } from "../../lib/mailbox/canonical-json";
import { EXAMPLE_PAYLOADS } from "../../lib/mailbox/document-types/examples";
import { encodeVerifyQr } from "../../lib/mailbox/verify-qr";
import { expect, test } from "../fixtures";
import { openMailboxWorld, type TMailboxWorld } from "../partner-api/mailbox-world";

let world: TMailboxWorld;

test.beforeAll(async () => {
  world = await openMailboxWorld();
});
test.afterAll(async () => {
  await world?.close();
});

const DOC_ID = "3f9d6c1a-8b2e-4f7a-9c0d-5e6f7a8b9c0d";

async function signedBundle(payload: Record<string, unknown>) {
  return {
    format: "ichimai-signed-document/1",
    id: DOC_ID,
    type: "life-insurance-deduction-certificate",
    issuer: { name: "さくら生命保険株式会社（E2E）", nameEn: "Sakura Life (E2E)" },
    deliveredAt: new Date().toISOString(),
    payload,
    canonicalization: "RFC 8785 (JCS)",
    payloadHash: { algorithm: "SHA-256", value: sha256Hex(canonicalJsonBytes(payload)) },
    signature: { format: "CMS SignedData, CAdES-BES, detached, DER, base64", value: await world.sign(payload) },
    verification: {},
  };
}

test("[MAILBOX][VERIFY-OFFLINE]: the public verify page checks a signed bundle against the QR code with the network off, and names what it did not check", async ({
  page,
  context,
  baseURL,
  seriousA11yViolations,
}) => {
  const payload = { ...EXAMPLE_PAYLOADS["life-insurance-deduction-certificate"], policyNumber: `E2E-QR-${Date.now()}` };
  const bundle = await signedBundle(payload);
  const url = encodeVerifyQr(baseURL!, {
    v: "ichimai-verify/1",
    id: DOC_ID,
    t: "life-insurance-deduction-certificate",
    d: bundle.payloadHash.value,
    f: createHash("sha256").update(world.signer.certificate).digest("hex"),
  });
  await page.goto(url.slice(url.indexOf("/verify")));
  await expect(page.getByRole("heading", { level: 1, name: "署名の確認" })).toBeVisible();
  await expect(page.getByTestId("verify-qr-facts")).toContainText(bundle.payloadHash.value);
  expect(await seriousA11yViolations(page)).toEqual([]);

  // From here on nothing may reach the server: the checks run in the page.
  await context.setOffline(true);
  const requests: string[] = [];
  page.on("request", (r) => requests.push(r.url()));
  const file = page.getByLabel("署名付きデータのファイル（JSON）");
  await file.setInputFiles({
    name: "document.json",
    mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify(bundle)),
  });
  const result = page.getByTestId("verify-result");
  await expect(result.locator("[data-valid]")).toHaveAttribute("data-valid", "true");
  await expect(result).toContainText("QRコードの書類と一致します");
  for (const check of ["payload_digest", "signature", "chain", "qr_digest", "qr_signer", "qr_document"]) {
    await expect(result.locator(`[data-check="${check}"]`)).toHaveAttribute("data-ok", "true");
  }
  await expect(result.locator('[data-check="revocation"]')).toContainText("オフラインでは確認していません");

  // An edited amount is caught by the digest and the signature.
  const edited = { ...bundle, payload: { ...payload, premiumPaidToDate: 1 } };
  await file.setInputFiles({
    name: "edited.json",
    mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify(edited)),
  });
  await expect(result.locator("[data-valid]")).toHaveAttribute("data-valid", "false");
  await expect(result.locator('[data-check="payload_digest"]')).toHaveAttribute("data-ok", "false");
  await expect(result.locator('[data-check="signature"]')).toHaveAttribute("data-ok", "false");
  await expect(result.locator('[data-check="qr_digest"]')).toHaveAttribute("data-ok", "false");
  // Only the page's own static assets may be asked for (font subsets for newly shown glyphs, which
  // fail offline and fall back): no API, no share link, nothing that verifies on the server's side.
  const pageAssets = /^http:\/\/localhost:\d+\/_next\/static\//;
  expect(requests.filter((u) => !u.startsWith("data:") && !u.startsWith("blob:") && !pageAssets.test(u))).toEqual([]);
  await context.setOffline(false);

  // A scan that is not ours is refused with a message.
  await page.getByLabel("読み取ったQRコードの文字列").fill("https://example.com/not-ours");
  await page.getByRole("button", { name: "読み込む" }).click();
  await expect(page.getByText("ichimaiの確認用QRコードではありません")).toBeVisible();
});
