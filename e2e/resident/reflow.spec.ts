/**
 * Reflow (WCAG 2.1 SC 1.4.10) on a phone: at 320 CSS pixels wide every resident page — the inbox,
 * a document with its signature details and raw JSON open, services and each settings page — fits
 * the viewport without scrolling sideways (a data table may scroll inside its own region), and the
 * inbox's search and the document's actions stay reachable. The document's raw JSON draws its
 * Japanese with a real Japanese face.
 */
import type { Page } from "@playwright/test";
import { expect, test } from "../fixtures";
import { readCardWorld } from "../fixtures/card";
import { loginWithCard } from "../fixtures/card-login";
import { openMailboxWorld, type TMailboxWorld } from "../partner-api/mailbox-world";

// The card agent serves HTTPS with its own local CA (docs/card-agent-protocol.md#browser-and-node-clients).
test.use({ ignoreHTTPSErrors: true, viewport: { width: 320, height: 640 } });

const REF = "E2E-REFLOW-POL";
let world: TMailboxWorld;

test.beforeAll(async () => {
  world = await openMailboxWorld();
  await world.link(readCardWorld().residents.login.residentId, REF);
});
test.afterAll(async () => {
  await world?.close();
});

/** How far the page is wider than the viewport (0 when it reflows), and what sticks out. */
async function sidewaysOverflow(page: Page): Promise<{ overflow: number; culprits: string[] }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const culprits: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll<HTMLElement>("*"))) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.right <= width + 1) continue;
      // Inside a region that scrolls by itself (a wide table's wrapper): allowed by 1.4.10.
      let scroller: HTMLElement | null = el.parentElement;
      // (Clipped by overflow: hidden is not allowed: that content cannot be reached at all.)
      while (
        scroller &&
        scroller !== document.body &&
        !["auto", "scroll"].includes(getComputedStyle(scroller).overflowX)
      ) {
        scroller = scroller.parentElement;
      }
      if (scroller && scroller !== document.body) continue;
      culprits.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}.${el.className}`.slice(0, 120));
      if (culprits.length >= 5) break;
    }
    return { overflow: document.documentElement.scrollWidth - width, culprits };
  });
}

/** The font families Chromium used to draw the text inside the first element matching `selector`. */
async function renderedFonts(page: Page, selector: string): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send("DOM.enable");
    await cdp.send("CSS.enable");
    const { root } = await cdp.send("DOM.getDocument");
    const { nodeId } = await cdp.send("DOM.querySelector", { nodeId: root.nodeId, selector });
    const { fonts } = await cdp.send("CSS.getPlatformFontsForNode", { nodeId });
    return fonts.map((f) => f.familyName);
  } finally {
    await cdp.detach();
  }
}

async function expectReflow(page: Page, path: string): Promise<void> {
  const { overflow, culprits } = await sidewaysOverflow(page);
  expect({ path, overflow, culprits }).toEqual({ path, overflow: 0, culprits: [] });
}

test("[RESIDENT][REFLOW]: at 320 px every resident page fits without sideways scrolling; search and document actions stay reachable", async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  // A long unbroken reference (the schema's 40 characters), the kind that pushes a narrow layout sideways.
  const policyNumber = `E2E-REFLOW-${Date.now()}-`.padEnd(40, "0123456789");
  const id = await world.deliverLifeInsurance(request, REF, policyNumber);

  await loginWithCard(page, "login");
  await expectReflow(page, "/mailbox");
  await expect(page.getByLabel("キーワード")).toBeVisible();
  await expect(page.locator(`[data-document-id="${id}"]`)).toBeVisible();

  await page.goto(`/mailbox/${id}`);
  await expect(page.getByTestId("document-fields")).toContainText(policyNumber);
  await page.getByTestId("signature-badge").locator("summary").click();
  for (const details of await page.locator("details:not([open]) > summary").all()) await details.click();
  await expectReflow(page, `/mailbox/${id}`);
  await expect(page.getByRole("link", { name: "JSONでダウンロード" })).toBeVisible();
  await expect(page.getByRole("link", { name: "PDFでダウンロード" })).toBeVisible();
  // The raw JSON is code text: its kana and kanji are drawn with the bundled Noto Sans JP, not
  // as empty boxes from a monospace face without Japanese (what Chromium really used, over CDP).
  // (The bundled subsets name themselves "Noto Sans JP Thin" in their name table.)
  expect(await renderedFonts(page, '[data-testid="raw-json"]')).toContainEqual(expect.stringMatching(/^Noto Sans JP/));

  for (const path of [
    "/services",
    "/services/links",
    "/settings",
    "/settings/notifications",
    "/settings/consents",
    "/settings/proxies",
    "/settings/passkeys",
    "/settings/access-log",
  ]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectReflow(page, path);
  }
  // A data table keeps readable columns and scrolls inside its own region instead of shrinking
  // Japanese to one character per line.
  const table = page.getByRole("table", { name: "アクセス記録（新しい順）" });
  expect((await table.boundingBox())?.width).toBeGreaterThanOrEqual(640);
});
