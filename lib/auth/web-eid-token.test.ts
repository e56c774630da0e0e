import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AppError } from "../errors/app-error";
import { readCookie } from "./binding-cookie";
import { bindingConsentText, canonicalJson } from "./binding-consent";
import { normalizeOrigin, parseWebEidToken, webEidSignedData } from "./web-eid-token";

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
  throw new Error("expected a throw");
}

const valid = {
  format: "web-eid:1.0",
  unverifiedCertificate: Buffer.alloc(900, 1).toString("base64"),
  algorithm: "RS256",
  signature: Buffer.alloc(256, 2).toString("base64"),
  appVersion: "test",
};

describe("Web eID token (docs/jpki.md#card-login-web-eid)", () => {
  it("accepts web-eid:1.x RS256 tokens of 100–10,000 characters", () => {
    expect(parseWebEidToken(JSON.stringify(valid)).algorithm).toBe("RS256");
    expect(parseWebEidToken(JSON.stringify({ ...valid, format: "web-eid:1" })).format).toBe("web-eid:1");
    expect(code(() => parseWebEidToken("{}"))).toBe("VALIDATION_FAILED");
    expect(code(() => parseWebEidToken(`${JSON.stringify(valid)}${" ".repeat(10_000)}`))).toBe("VALIDATION_FAILED");
    expect(code(() => parseWebEidToken(`{${"x".repeat(200)}`))).toBe("BAD_JSON");
    expect(code(() => parseWebEidToken(JSON.stringify({ ...valid, algorithm: "ES256" })))).toBe(
      "ALGORITHM_UNSUPPORTED",
    );
    expect(code(() => parseWebEidToken(JSON.stringify({ ...valid, format: "web-eid:2.0" })))).toBe("VALIDATION_FAILED");
    expect(code(() => parseWebEidToken(JSON.stringify({ ...valid, signature: "not base64!" })))).toBe(
      "VALIDATION_FAILED",
    );
  });

  it("signs SHA-256(origin) ‖ SHA-256(nonce) over the canonical origin", () => {
    expect(normalizeOrigin("https://ichimai.example.jp:443/login?x=1")).toBe("https://ichimai.example.jp");
    expect(normalizeOrigin("http://localhost:3000/")).toBe("http://localhost:3000");
    expect(code(() => normalizeOrigin("javascript:alert(1)"))).toBe("VALIDATION_FAILED");
    const data = webEidSignedData("https://a.example", "bm9uY2U=");
    expect(Buffer.from(data.subarray(0, 32)).toString("hex")).toBe(
      createHash("sha256").update("https://a.example").digest("hex"),
    );
    expect(Buffer.from(data.subarray(32)).toString("hex")).toBe(createHash("sha256").update("bm9uY2U=").digest("hex"));
  });

  it("builds the consent text canonically (sorted keys, no whitespace) and reads cookies", () => {
    expect(canonicalJson({ b: "2", a: "1\u3000" })).toBe('{"a":"1\u3000","b":"2"}');
    const text = bindingConsentText({ origin: "https://a.example", nonce: "n", authCertificateSha256: "AB" });
    expect(Object.keys(JSON.parse(text))).toEqual(["authCertificateSha256", "format", "nonce", "origin", "statement"]);
    expect(JSON.parse(text).authCertificateSha256).toBe("ab");
    expect(readCookie("a=1; ichimai-card=x%2By; b=2", "ichimai-card")).toBe("x+y");
    expect(readCookie("ichimai-card-x=1", "ichimai-card")).toBeUndefined();
    expect(readCookie(undefined, "ichimai-card")).toBeUndefined();
  });
});
