import { describe, expect, it } from "vitest";
import { httpsOriginOf, isRegisteredActionUrl, shownActions, ZActionOrigin } from "./action-links";

const ORIGINS = ["https://pay.sakura-life.example.jp", "https://apply.example.jp:8443"];

describe("action links: only URLs on the issuer's registered origins become links", () => {
  it("[ACTIONS][ORIGIN]: an exact registered origin links; any other host, port, scheme or userinfo does not", () => {
    expect(isRegisteredActionUrl("https://pay.sakura-life.example.jp/invoices/1?x=1", ORIGINS)).toBe(true);
    expect(isRegisteredActionUrl("https://PAY.sakura-life.example.jp:443/x", ORIGINS)).toBe(true);
    expect(isRegisteredActionUrl("https://apply.example.jp:8443/form", ORIGINS)).toBe(true);
    for (const url of [
      "https://evil.example/pay",
      "https://apply.example.jp/form", // registered with another port
      "http://pay.sakura-life.example.jp/x", // not https
      "https://pay.sakura-life.example.jp.evil.example/x", // a suffix is another host
      "https://x.pay.sakura-life.example.jp/x", // a subdomain is another origin
      "https://pay.sakura-life.example.jp@evil.example/x", // userinfo: the host is evil.example
      "https://pay.sakura-life.example.jp:pw@pay.sakura-life.example.jp/x", // credentials in the URL
      "javascript:alert(1)",
      "not a url",
    ]) {
      expect(isRegisteredActionUrl(url, ORIGINS), url).toBe(false);
    }
    expect(isRegisteredActionUrl(undefined, ORIGINS)).toBe(false);
    expect(isRegisteredActionUrl("https://pay.sakura-life.example.jp/x", [])).toBe(false);
  });

  it("[ACTIONS][SHOWN]: each action is marked linkable or not; the action itself is kept", () => {
    expect(
      shownActions(
        [
          { kind: "pay", url: "https://pay.sakura-life.example.jp/1" },
          { kind: "reply", url: "https://evil.example/reply", label: "返信" },
          { kind: "apply" },
        ],
        ORIGINS,
      ),
    ).toEqual([
      { kind: "pay", url: "https://pay.sakura-life.example.jp/1", linkable: true },
      { kind: "reply", url: "https://evil.example/reply", label: "返信", linkable: false },
      { kind: "apply", linkable: false },
    ]);
  });

  it("[ACTIONS][REGISTER]: staff register bare https origins only", () => {
    expect(ZActionOrigin.parse(" https://Pay.Example.jp/ ")).toBe("https://pay.example.jp");
    expect(ZActionOrigin.parse("https://pay.example.jp:8443")).toBe("https://pay.example.jp:8443");
    for (const bad of [
      "http://pay.example.jp",
      "https://pay.example.jp/path",
      "https://pay.example.jp?x",
      "pay.example.jp",
    ]) {
      expect(ZActionOrigin.safeParse(bad).success, bad).toBe(false);
    }
    expect(httpsOriginOf("https://a.example:443/")).toBe("https://a.example");
  });
});
