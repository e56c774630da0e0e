import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkWatchedSerials, findRevoked, parseCrl } from "./crl";
import { canonicalSerial } from "./serial";
import { buildCrl, createRootCa, type SimCa } from "../../jlis-sim/ca/ca";
import { DAY, NOW, rsaKeys } from "../../test/jpki/fixtures";

let ca: SimCa;
let other: SimCa;
let big: Uint8Array;
const N = 200_000;
const reasons = ["keyCompromise", "affiliationChanged", "superseded", "cessationOfOperation", "unspecified"] as const;
const serialOf = (i: number) => 0x7f000000n + BigInt(i) * 7919n;

beforeAll(async () => {
  const [a, b] = await Promise.all([rsaKeys(), rsaKeys()]);
  const v = { notBefore: new Date("2020-01-01T00:00:00Z"), notAfter: new Date("2035-01-01T00:00:00Z") };
  ca = await createRootCa({ purpose: "sign", generation: 1, keys: a, ...v });
  other = await createRootCa({ purpose: "sign", generation: 2, keys: b, ...v });
  function* entries() {
    for (let i = 0; i < N; i++) {
      yield {
        serialNumber: serialOf(i),
        revokedAt: new Date(NOW.getTime() - (i % 1000) * 1000),
        reason: reasons[i % reasons.length]!,
      };
    }
    // A serial with the high bit set (DER adds a 0x00 sign octet) and one of 20 octets.
    yield { serialNumber: 0x80n, revokedAt: NOW, reason: "certificateHold" as const };
    yield { serialNumber: (1n << 158n) + 5n, revokedAt: NOW, reason: "cACompromise" as const };
  }
  big = await buildCrl({
    ca,
    entries: entries(),
    thisUpdate: new Date(NOW.getTime() - DAY / 2),
    nextUpdate: new Date(NOW.getTime() + DAY / 2),
    crlNumber: 42n,
  });
}, 60_000);

describe("streaming CRL scan (RFC 5280 §5)", () => {
  it(`finds watched serials on a ${N}-entry CRL that asn1js could not load`, async () => {
    const watched = [
      serialOf(0),
      serialOf(1),
      serialOf(N - 1),
      0x80n,
      (1n << 158n) + 5n,
      0x12345n,
      `00${serialOf(3).toString(16)}`,
    ];
    const r = await checkWatchedSerials({ crl: { bytes: big }, issuer: ca.certificate, watched, now: NOW });
    expect(r.entries).toBe(N + 2);
    expect(r.crlNumber).toBe(42n);
    expect(r.revoked.size).toBe(6);
    expect(r.revoked.get(canonicalSerial(serialOf(0)))).toMatchObject({ reason: "keyCompromise" });
    expect(r.revoked.get(canonicalSerial(serialOf(1)))).toMatchObject({ reason: "affiliationChanged" });
    expect(r.revoked.get(canonicalSerial(serialOf(3)))).toMatchObject({ reason: "cessationOfOperation" });
    expect(r.revoked.get(canonicalSerial(serialOf(N - 1)))?.revokedAt.getTime()).toBe(
      NOW.getTime() - ((N - 1) % 1000) * 1000,
    );
    expect(r.revoked.get("80")).toMatchObject({ reason: "certificateHold" });
    expect(r.revoked.get(canonicalSerial((1n << 158n) + 5n))).toMatchObject({ reason: "cACompromise" });
    expect(r.revoked.has("012345")).toBe(false);
  });

  it.each([
    {
      name: "wrong issuer key (other generation, same DN)",
      issuer: () => other.certificate,
      now: NOW,
      code: "CRL_SIGNATURE_INVALID",
    },
    {
      name: "stale (after nextUpdate)",
      issuer: () => ca.certificate,
      now: new Date(NOW.getTime() + DAY),
      code: "CRL_STALE",
    },
    { name: "not yet issued", issuer: () => ca.certificate, now: new Date(NOW.getTime() - DAY), code: "CRL_STALE" },
    {
      name: "thisUpdate more than the 5-minute clock skew ahead",
      issuer: () => ca.certificate,
      now: new Date(NOW.getTime() - DAY / 2 - 6 * 60_000),
      code: "CRL_STALE",
    },
  ])("refuses: $name", async (row) => {
    await expect(
      checkWatchedSerials({ crl: { bytes: big }, issuer: row.issuer(), watched: [1n], now: row.now }),
    ).rejects.toMatchObject({
      code: row.code,
    });
  });

  it("accepts a CRL whose thisUpdate is a minute ahead of our clock (issuer clock skew)", async () => {
    const r = await checkWatchedSerials({
      crl: { bytes: big },
      issuer: ca.certificate,
      watched: [1n],
      now: new Date(NOW.getTime() - DAY / 2 - 60_000),
    });
    expect(r.crlNumber).toBe(42n);
  });

  it("refuses a CRL whose entries were tampered with (signature over the TBS bytes)", async () => {
    const copy = big.slice();
    copy[copy.length >> 1]! ^= 0x01;
    await expect(
      checkWatchedSerials({ crl: { bytes: copy }, issuer: ca.certificate, watched: [1n], now: NOW }),
    ).rejects.toMatchObject({
      code: expect.stringMatching(/^CRL_(SIGNATURE_INVALID|MALFORMED)$/),
    });
  });

  it("gives typed errors for truncated and absurd input", () => {
    expect(() => parseCrl(big.subarray(0, big.length - 10))).toThrow(
      expect.objectContaining({ code: "DER_MALFORMED" }),
    );
    expect(() => parseCrl(Uint8Array.of(0x30, 0x85, 1, 2, 3, 4, 5))).toThrow(
      expect.objectContaining({ code: "DER_MALFORMED" }),
    );
    expect(() => parseCrl(big, 1000)).toThrow(expect.objectContaining({ code: "INPUT_TOO_LARGE" }));
    // A header that parses, with a broken entry list: the scan stops with CRL_MALFORMED.
    const crl = parseCrl(big);
    const broken = { ...crl, der: crl.der.slice() };
    broken.der[crl.revoked!.start + 2]! = 0x05;
    expect(() => findRevoked(broken, new Set(["01"]))).toThrow(expect.objectContaining({ code: "CRL_MALFORMED" }));
  });

  describe("over HTTP", () => {
    let url = "";
    let close = async () => {};
    beforeAll(async () => {
      const server = createServer((req, res) => {
        if (req.url === "/big.crl") {
          res.writeHead(200, { "content-type": "application/pkix-crl" });
          res.end(Buffer.from(big));
        } else {
          res.writeHead(404);
          res.end();
        }
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      close = () => new Promise((r) => server.close(() => r()));
    });
    afterAll(() => close());

    it("downloads and scans; a missing CRL is unavailable", async () => {
      const r = await checkWatchedSerials({
        crl: { url: `${url}/big.crl` },
        issuer: ca.certificate,
        watched: [serialOf(5)],
        now: NOW,
      });
      expect(r.revoked.size).toBe(1);
      await expect(
        checkWatchedSerials({ crl: { url: `${url}/nope.crl` }, issuer: ca.certificate, watched: [1n], now: NOW }),
      ).rejects.toMatchObject({ code: "CERT_STATUS_UNAVAILABLE" });
    });
  });

  it("agrees with a naive model on random serial sets (leading zeros, long serials, misses)", async () => {
    const serial = fc.bigInt({ min: 1n, max: (1n << 159n) - 1n });
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(serial, { minLength: 0, maxLength: 40 }),
        fc.array(serial, { maxLength: 10 }),
        async (listed, others) => {
          const der = await buildCrl({
            ca,
            entries: listed.map((s, i) => ({ serialNumber: s, revokedAt: NOW, reason: reasons[i % reasons.length]! })),
            thisUpdate: NOW,
            nextUpdate: new Date(NOW.getTime() + DAY),
            crlNumber: 1n,
          });
          const watched = [...listed.filter((_, i) => i % 2 === 0), ...others];
          const r = await checkWatchedSerials({ crl: { bytes: der }, issuer: ca.certificate, watched, now: NOW });
          const expected = new Set(watched.filter((w) => listed.includes(w)).map((w) => canonicalSerial(w)));
          expect(new Set(r.revoked.keys())).toEqual(expected);
          expect(r.entries).toBe(listed.length);
        },
      ),
      { numRuns: 40 },
    );
  });
});
