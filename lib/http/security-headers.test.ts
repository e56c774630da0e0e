import { describe, expect, it } from "vitest";
import {
  contentSecurityPolicy,
  isSsoPath,
  newCspNonce,
  STATIC_SECURITY_HEADERS,
  talksToCardAgent,
} from "./security-headers";

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(";").map((d) => {
      const [name = "", ...values] = d.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

describe("security headers", () => {
  it("makes a fresh 128-bit nonce each time", () => {
    const a = newCspNonce();
    expect(Buffer.from(a, "base64")).toHaveLength(16);
    expect(newCspNonce()).not.toBe(a);
  });

  it("allows only nonce'd scripts, no eval, no framing, no plugins, no loopback agent on ordinary pages", () => {
    const d = directives(contentSecurityPolicy("abc", { development: false }));
    expect(d.get("script-src")).toEqual(["'self'", "'nonce-abc'", "'strict-dynamic'"]);
    expect(d.get("frame-ancestors")).toEqual(["'none'"]);
    expect(d.get("object-src")).toEqual(["'none'"]);
    expect(d.get("base-uri")).toEqual(["'self'"]);
    expect(d.get("form-action")).toEqual(["'self'"]);
    expect(d.get("connect-src")).toEqual(["'self'"]);
    expect(d.get("script-src")).not.toContain("'unsafe-inline'");
    expect(d.get("script-src")).not.toContain("'unsafe-eval'");
  });

  it("lets the card pages (login, terminals) run the agent client: eval, WebAssembly, a loopback agent", () => {
    expect(
      [
        "/login",
        "/login/qr/abc",
        "/terminal",
        "/terminal/bus",
        "/services/applications/new",
        "/services/signing-requests/0b9c7f2e-4a51-4f7e-9d55-3a0e1c2b7d11",
        "/services/links/0b9c7f2e-4a51-4f7e-9d55-3a0e1c2b7d11",
        "/tv/login",
      ].every(talksToCardAgent),
    ).toBe(true);
    expect(
      [
        "/",
        "/mailbox",
        "/loginx",
        "/settings/login",
        "/partner/login",
        "/services",
        "/services/applications",
        "/services/signing-requests",
        "/services/links",
        "/tv",
        "/tv/mailbox",
        "/tv/order",
        "/tvx",
      ].some(talksToCardAgent),
    ).toBe(false);
    const d = directives(contentSecurityPolicy("abc", { development: false, cardAgent: true }));
    expect(d.get("script-src")).toEqual([
      "'self'",
      "'nonce-abc'",
      "'strict-dynamic'",
      "'unsafe-eval'",
      "'wasm-unsafe-eval'",
    ]);
    expect(d.get("connect-src")).toEqual([
      "'self'",
      "https://127.0.0.1:*",
      "wss://127.0.0.1:*",
      "https://localhost:*",
      "wss://localhost:*",
    ]);
    expect(d.get("frame-ancestors")).toEqual(["'none'"]);
  });

  it("lets only the single sign-on pages' forms redirect to a relying party (form-action)", () => {
    expect(["/oidc/session/end", "/sso/consent/abc"].every(isSsoPath)).toBe(true);
    expect(["/login", "/settings/consents", "/oidcx", "/ssox"].some(isSsoPath)).toBe(false);
    const sso = directives(contentSecurityPolicy("abc", { development: false, ssoRedirects: true }));
    expect(sso.get("form-action")).toEqual(["'self'", "https:", "http:"]);
    expect(sso.get("script-src")).toEqual(["'self'", "'nonce-abc'", "'strict-dynamic'"]);
  });

  it("lets Next's dev tooling run only in development", () => {
    const d = directives(contentSecurityPolicy("abc", { development: true }));
    expect(d.get("script-src")).toContain("'unsafe-eval'");
    expect(d.get("connect-src")).toContain("ws:");
  });

  it("sets nosniff, a same-origin referrer and no framing on every response", () => {
    expect(STATIC_SECURITY_HEADERS).toMatchObject({
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "same-origin",
      "X-Frame-Options": "DENY",
    });
  });
});
