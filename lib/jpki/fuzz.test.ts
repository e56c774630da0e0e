import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors/app-error";
import { parseCertificate } from "./certificate";
import { validateChain } from "./chain";
import { verifyCms } from "./cms-verify";
import { findRevoked, parseCrl } from "./crl";
import { readRoot } from "./der";
import { parseJpkiCertificate } from "./jpki-certificate";
import { parseOcspResponse } from "./ocsp";
import { checkRevocation } from "./revocation";
import { pemToDerAll } from "./pem";
import { importSpki } from "./signature";
import { buildCrl } from "../../jlis-sim/ca/ca";
import { buildOcspResponse, NOW } from "../../test/jpki/fixtures";
import { CMS_MUTATION_SEED, mutationsOf, signingSeeds } from "../../test/jpki/mutations";

/**
 * Property tests: random bytes and mutations of valid DER never make a parser throw anything
 * but an AppError, and never hang (each run is bounded by the test timeout and the input size).
 */

const seeds: Record<string, Uint8Array> = {};
let goodOcsp: Uint8Array;

beforeAll(async () => {
  const { ca, cert, cms } = await signingSeeds();
  seeds.root = ca.certificate;
  seeds.cert = cert;
  seeds.crl = await buildCrl({
    ca,
    entries: Array.from({ length: 20 }, (_, i) => ({
      serialNumber: BigInt(i + 1),
      revokedAt: NOW,
      reason: "keyCompromise" as const,
    })),
    thisUpdate: NOW,
    nextUpdate: new Date(NOW.getTime() + 86_400_000),
    crlNumber: 1n,
  });
  const parsed = parseCertificate(cert);
  const caParsed = parseCertificate(ca.certificate);
  seeds.ocsp = await buildOcspResponse({
    signerKey: ca.keys.privateKey,
    signerCert: caParsed,
    status: "revoked",
    reason: 1,
    thisUpdate: NOW,
    nextUpdate: NOW,
    nonce: new Uint8Array(32),
    serial: parsed.serial,
    issuer: caParsed,
    certs: [ca.certificate],
  });
  // A good answer without nonce, fresh at NOW: the only input that may yield "good".
  goodOcsp = await buildOcspResponse({
    signerKey: ca.keys.privateKey,
    signerCert: caParsed,
    status: "good",
    thisUpdate: NOW,
    nextUpdate: new Date(NOW.getTime() + 600_000),
    serial: parsed.serial,
    issuer: caParsed,
  });
  seeds.cms = cms;
}, 30_000);

/** Random bytes, or a seed with flipped bytes, a cut, or inserted bytes. */
const inputs = mutationsOf;

function onlyAppErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
  }
}

async function onlyAppErrorsAsync(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
  }
}

const runs = { numRuns: 400 };

describe("parsers never throw anything but AppError", () => {
  it("DER reader", () => {
    fc.assert(
      fc.property(
        inputs(() => seeds.cert!),
        (b) => onlyAppErrors(() => readRoot(b)),
      ),
      runs,
    );
  });
  it("parseCertificate / parseJpkiCertificate", () => {
    fc.assert(
      fc.property(
        inputs(() => seeds.cert!),
        (b) => {
          onlyAppErrors(() => parseCertificate(b));
          onlyAppErrors(() => parseJpkiCertificate(b));
        },
      ),
      runs,
    );
    fc.assert(
      fc.property(
        inputs(() => seeds.root!),
        (b) => onlyAppErrors(() => parseJpkiCertificate(b)),
      ),
      runs,
    );
  });
  it("parseCrl + findRevoked", () => {
    fc.assert(
      fc.property(
        inputs(() => seeds.crl!),
        (b) => onlyAppErrors(() => findRevoked(parseCrl(b), new Set(["01", "02", "14"]))),
      ),
      runs,
    );
  });
  it("parseOcspResponse", () => {
    fc.assert(
      fc.property(
        inputs(() => seeds.ocsp!),
        (b) => onlyAppErrors(() => parseOcspResponse(b)),
      ),
      runs,
    );
  });
  it("importSpki", () => {
    const spki = () => parseCertificate(seeds.cert!).spki.slice();
    fc.assert(
      fc.property(inputs(spki), (b) => onlyAppErrors(() => importSpki(b))),
      runs,
    );
  });
  it("pemToDerAll", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        onlyAppErrors(() => pemToDerAll(`-----BEGIN CERTIFICATE-----\n${s}\n-----END CERTIFICATE-----`));
      }),
      runs,
    );
  });
  it("verifyCms", async () => {
    await fc.assert(
      fc.asyncProperty(
        inputs(() => seeds.cms!),
        (b) =>
          onlyAppErrorsAsync(async () => {
            const r = await verifyCms({ signedData: b, trustAnchors: [seeds.root!], time: NOW });
            // A mutated SignedData may still parse; it must then never be valid unless unchanged.
            if (r.valid) expect(Buffer.from(b).equals(Buffer.from(seeds.cms!))).toBe(true);
          }),
      ),
      // A fixed seed: CI runs the same 1,000 inputs every time (bench/jpki-cms-fuzz.ts runs 100,000 random ones).
      { numRuns: 1000, seed: CMS_MUTATION_SEED },
    );
  });
  it("validateChain on mutated leaves is never valid unless unchanged", async () => {
    await fc.assert(
      fc.asyncProperty(
        inputs(() => seeds.cert!),
        (b) =>
          onlyAppErrorsAsync(async () => {
            const r = await validateChain({ leaf: b, trustAnchors: [seeds.root!], time: NOW });
            if (r.valid) expect(Buffer.from(b).equals(Buffer.from(seeds.cert!))).toBe(true);
          }),
      ),
      { numRuns: 300 },
    );
  });

  it("every single-byte change of a good OCSP answer is refused (none is outside what the checks cover)", async () => {
    const good: string[] = [];
    for (let i = 0; i < goodOcsp.length; i++) {
      for (const flip of [0x01, 0x80]) {
        const b = goodOcsp.slice();
        b[i]! ^= flip;
        const r = await checkRevocation({
          certificate: seeds.cert!,
          issuer: seeds.root!,
          now: NOW,
          ocsp: { url: "http://responder.invalid/ocsp", nonce: false, fetch: async () => new Response(b) },
        });
        if (r.status === "good") good.push(`byte ${i} ^ 0x${flip.toString(16)}`);
      }
    }
    expect(good).toEqual([]);
  });

  it("checkRevocation never says good for a mutated OCSP answer", async () => {
    await fc.assert(
      fc.asyncProperty(
        inputs(() => goodOcsp),
        async (b) => {
          const r = await checkRevocation({
            certificate: seeds.cert!,
            issuer: seeds.root!,
            now: NOW,
            ocsp: {
              url: "http://responder.invalid/ocsp",
              nonce: false,
              fetch: async () => new Response(new Uint8Array(b)),
            },
          });
          if (r.status === "good") expect(Buffer.from(b).equals(Buffer.from(goodOcsp))).toBe(true);
          else expect(["unavailable", "unknown", "revoked"]).toContain(r.status);
        },
      ),
      { numRuns: 300 },
    );
    const ok = await checkRevocation({
      certificate: seeds.cert!,
      issuer: seeds.root!,
      now: NOW,
      ocsp: {
        url: "http://responder.invalid/ocsp",
        nonce: false,
        fetch: async () => new Response(new Uint8Array(goodOcsp)),
      },
    });
    expect(ok.status).toBe("good");
  });
});
