import { describe, expect, it } from "vitest";
import { isForbiddenAddress, resolveWebhookAddresses, SPECIAL_PURPOSE_RANGES } from "./webhook-address";

describe("webhook addresses (SSRF)", () => {
  it.each([
    // Each special-purpose range, by an address inside it.
    ["0.0.0.0"],
    ["10.1.2.3"],
    ["100.64.0.1"],
    ["127.0.0.1"],
    ["169.254.169.254"],
    ["172.31.255.255"],
    ["192.0.0.9"],
    ["192.0.2.1"],
    ["192.31.196.1"],
    ["192.52.193.1"],
    ["192.88.99.1"],
    ["192.168.1.1"],
    ["192.175.48.1"],
    ["198.19.0.1"],
    ["198.51.100.7"],
    ["203.0.113.10"],
    ["224.0.0.1"],
    ["255.255.255.255"],
    ["::"],
    ["::1"],
    ["::127.0.0.1"],
    ["::ffff:127.0.0.1"],
    ["::ffff:93.184.215.14"],
    ["::ffff:0:a00:1"],
    ["64:ff9b::a9fe:a9fe"],
    ["64:ff9b:1::a9fe:a9fe"],
    ["64:ff9b:1:ffff::1"],
    ["100::1"],
    ["100:0:0:1::1"],
    ["2001::1"],
    ["2001:0:4136:e378:8000:63bf:3fff:fdd2"],
    ["2001:2::1"],
    ["2001:db8::10"],
    ["2002:a00:1::1"],
    ["2620:4f:8000::1"],
    ["3fff::1"],
    ["5f00::1"],
    ["fd12:3456::1"],
    ["fe80::1"],
    ["fec0::1"],
    ["ff02::1"],
    ["not-an-ip"],
  ])("refuses %s", (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it.each([["93.184.215.14"], ["8.8.8.8"], ["1.1.1.1"], ["2606:4700::6810:84e5"], ["2400:cb00::1"]])(
    "allows the public address %s",
    (address) => {
      expect(isForbiddenAddress(address)).toBe(false);
    },
  );

  it("lists each range once, with a reason", () => {
    const keys = SPECIAL_PURPOSE_RANGES.map(([net, prefix]) => `${net}/${prefix}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const [, , , why] of SPECIAL_PURPOSE_RANGES) expect(why).toMatch(/RFC \d+/);
  });

  it("refuses a name when any of its answers is special-purpose", async () => {
    const resolve = async () => [
      { address: "93.184.215.14", family: 4 as const },
      { address: "198.51.100.7", family: 4 as const },
    ];
    expect(await resolveWebhookAddresses("hooks.example.jp", { allowPrivate: false, resolve })).toMatchObject({
      ok: false,
      error: "WEBHOOK_ADDRESS_FORBIDDEN",
    });
    expect(await resolveWebhookAddresses("hooks.example.jp", { allowPrivate: true, resolve })).toMatchObject({
      ok: true,
    });
  });
});
