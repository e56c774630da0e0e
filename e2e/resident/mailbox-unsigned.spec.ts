/**
 * What the issuer did not sign is shown apart, and user text cannot reorder the page:
 *
 * - [MAILBOX][UNSIGNED]: `metadata.actions`, `labels`, `deadline` and `expiresAt` are outside the
 *   issuer's signature; the document page shows them in their own section marked 「発行者の署名の
 *   対象外」, and makes an action a link only when its origin is one the issuer registered
 *   (Partner.actionOrigins). An unregistered pay URL is plain text, never a link.
 * - [MAILBOX][BIDI]: a title and an attachment name holding U+202E (RIGHT-TO-LEFT OVERRIDE) are
 *   isolated in <bdi> in the inbox and on the document page, so the text after them stays where
 *   it is.
 */
import { expect, test } from "../fixtures";
import { loginWithCard } from "../fixtures/card-login";
import { readCardWorld } from "../fixtures/card";
import { E2E_INSURER, openMailboxWorld, type TMailboxWorld } from "../partner-api/mailbox-world";

test.use({ ignoreHTTPSErrors: true });

const RLO = "\u202E";
const TITLE = `請求書${RLO}fdp.exe`;
const FILENAME = `請求書${RLO}fdp.exe`;
const REGISTERED = "https://pay.e2e-sakura-life.example.jp";
const UNREGISTERED_PAY = "https://pay-sakura.evil.example/invoice/1";
const PDF = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

let world: TMailboxWorld;

test.beforeAll(async () => {
  world = await openMailboxWorld();
  await world.link(readCardWorld().residents.login.residentId, "E2E-LOGIN-POL");
  await world.setActionOrigins([REGISTERED]);
});
test.afterAll(async () => {
  await world?.setActionOrigins([]);
  await world?.close();
});

test("[MAILBOX][UNSIGNED][BIDI]: unsigned fields stand apart, an unregistered action URL is no link, and U+202E in a title or file name is isolated", async ({
  page,
  request,
  seriousA11yViolations,
}) => {
  test.setTimeout(60_000);
  const payload = { title: TITLE, body: `お支払いのお願い ${Date.now()}` };
  const delivered = await request.post("/api/v1/documents", {
    headers: { authorization: world.authorization },
    data: {
      type: "notice",
      recipient: { partnerRef: "E2E-LOGIN-POL" },
      payload,
      signature: await world.sign(payload),
      metadata: {
        actions: [
          { kind: "pay", url: UNREGISTERED_PAY },
          { kind: "reply", url: `${REGISTERED}/reply/1` },
        ],
        labels: ["要対応"],
        deadline: "2027-01-31T23:59:00+09:00",
      },
      attachments: [{ filename: FILENAME, mimeType: "application/pdf", contentBase64: PDF.toString("base64") }],
    },
  });
  expect(delivered.status()).toBe(201);
  const { id } = (await delivered.json()) as { id: string };

  await loginWithCard(page, "login");

  // Inbox: the title is a <bdi> of its own; the line after it reads as before.
  const row = page.locator(`[data-document-id="${id}"]`);
  await expect(row).toBeVisible();
  const title = row.getByRole("link").locator("bdi");
  await expect(title).toHaveText(TITLE);
  expect(await title.evaluate((el) => el.tagName)).toBe("BDI");
  // Every text node holding the override sits inside a <bdi> that holds exactly the user's text.
  expect(
    await row.evaluate((el, rlo) => {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      const owners: string[] = [];
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (n.textContent?.includes(rlo)) owners.push(n.parentElement?.closest("bdi")?.textContent ?? "(none)");
      }
      return owners;
    }, RLO),
  ).toEqual([TITLE]);
  await expect(row.locator("p").nth(1)).toContainText(E2E_INSURER.name);
  await expect(row.locator("p").nth(1)).toContainText("期限");
  // The inbox list marks the delivered deadline as outside the signature too.
  await expect(row.locator("p").nth(1)).toContainText("期限（署名の対象外）");

  await row.getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/mailbox/${id}$`));

  // Document page: the title heading and the attachment name are isolated too.
  const heading = page.getByRole("heading", { level: 1 });
  expect(await heading.locator("bdi").evaluate((el) => [el.tagName, el.textContent])).toEqual(["BDI", TITLE]);
  const attachment = page.locator('[aria-labelledby="doc-attachments"] li').first();
  const bdi = attachment.locator("bdi");
  expect(await bdi.evaluate((el) => [el.tagName, el.textContent])).toEqual(["BDI", FILENAME]);
  // The text after the name ("(application/pdf, 1 KB)") is not pulled into the override: it is
  // laid out to the right of the isolated name, in its own order.
  const after = await attachment.evaluate((li) => {
    const name = li.querySelector("bdi")!;
    // Everything after the name (React may split it into several text nodes).
    const range = document.createRange();
    range.setStartAfter(name);
    range.setEndAfter(li.lastChild!);
    return {
      text: range.toString(),
      nameRight: name.getBoundingClientRect().right,
      restLeft: range.getBoundingClientRect().left,
    };
  });
  expect(after.text).toMatch(/^ \(application\/pdf, \d+ KB\)$/);
  expect(after.restLeft).toBeGreaterThanOrEqual(after.nameRight - 1);
  await expect(page.getByRole("link", { name: /私書箱に戻る/ })).toBeVisible();

  // The unsigned section: apart from the signed fields, marked, with the deadline and labels.
  const unsigned = page.getByTestId("document-unsigned");
  await expect(unsigned.getByRole("heading", { name: "発行者の署名の対象外" })).toBeVisible();
  await expect(unsigned).toContainText("要対応");
  await expect(unsigned).toContainText("期限");
  expect(await page.getByTestId("document-fields").locator('[data-testid="document-unsigned"]').count()).toBe(0);
  await expect(page.getByTestId("document-fields")).not.toContainText("要対応");

  // The unregistered pay URL is shown as text, and nothing on the page links to it.
  const pay = unsigned.locator('[data-action-linkable="false"]');
  await expect(pay).toContainText(UNREGISTERED_PAY);
  await expect(pay).toContainText("リンクにしていません");
  expect(await page.locator(`a[href^="https://pay-sakura.evil.example"]`).count()).toBe(0);
  expect(await pay.locator("a").count()).toBe(0);
  // The action on a registered origin is a link.
  await expect(unsigned.locator('[data-action-linkable="true"] a')).toHaveAttribute("href", `${REGISTERED}/reply/1`);
  expect(await seriousA11yViolations(page)).toEqual([]);
});
