import { expect, test } from "../fixtures";

test("[SECURITY][HEADERS]: pages carry a nonce CSP, no framing, nosniff and a same-origin referrer; Next's scripts run under it; eval only on card pages", async ({
  page,
}) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  const response = await page.goto("/login");
  const headers = response!.headers();
  const policy = headers["content-security-policy"] ?? "";
  const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(policy)?.[1];
  expect(nonce).toBeTruthy();
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("same-origin");
  expect(headers["x-frame-options"]).toBe("DENY");
  // The page is interactive (hydrated) under the policy: the login button reacts.
  await expect(page.locator("script:not([nonce])")).toHaveCount(0);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  // A second load gets another nonce.
  const again = (await page.goto("/login"))!.headers()["content-security-policy"] ?? "";
  expect(again).not.toContain(nonce!);
  expect(violations).toEqual([]);

  // Only the card pages may evaluate code (the agent client) or reach a loopback agent.
  expect(policy).toContain("wss://127.0.0.1:*");
  const home = (await page.request.get("/")).headers()["content-security-policy"] ?? "";
  expect(home).not.toContain("unsafe-eval");
  expect(home).not.toContain("127.0.0.1");

  const api = await page.request.get("/api/health");
  expect(api.headers()["x-content-type-options"]).toBe("nosniff");
});
