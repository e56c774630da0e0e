import { execFileSync } from "node:child_process";
import { constants, generateKeyPairSync, sign as nodeSign } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors/app-error";
import { parsePssParams, verifyEcdsa, verifyRsaPkcs1, verifyRsaPss, verifyWithAlgorithm } from "./signature";
import { ecKeys, rsaKeys, spkiOf } from "../../test/jpki/fixtures";

const message = new TextEncoder().encode("hash(origin) ‖ hash(nonce)");
let rsaSpki: Uint8Array;
let rsaPriv: CryptoKey;
let ecSpki: Uint8Array;
let ecPriv: CryptoKey;

beforeAll(async () => {
  const r = await rsaKeys();
  rsaSpki = await spkiOf(r.publicKey);
  rsaPriv = r.privateKey;
  const e = await ecKeys("P-256");
  ecSpki = await spkiOf(e.publicKey);
  ecPriv = e.privateKey;
});

const flip = (b: Uint8Array) => {
  const c = b.slice();
  c[c.length >> 1]! ^= 0x80;
  return c;
};

describe("verifyRsaPkcs1 (RFC 8017 §8.2)", () => {
  it("accepts a WebCrypto signature and refuses altered message or signature", async () => {
    const sig = new Uint8Array(await crypto.subtle.sign("RSASSA-PKCS1-v1_5", rsaPriv, message));
    expect(await verifyRsaPkcs1({ publicKeySpki: rsaSpki, message, signature: sig, hash: "SHA-256" })).toBe(true);
    expect(
      await verifyRsaPkcs1({ publicKeySpki: rsaSpki, message: flip(message), signature: sig, hash: "SHA-256" }),
    ).toBe(false);
    expect(await verifyRsaPkcs1({ publicKeySpki: rsaSpki, message, signature: flip(sig), hash: "SHA-256" })).toBe(
      false,
    );
    expect(await verifyRsaPkcs1({ publicKeySpki: rsaSpki, message, signature: sig, hash: "SHA-384" })).toBe(false);
    expect(await verifyRsaPkcs1({ publicKeySpki: rsaSpki, message, signature: sig.subarray(1), hash: "SHA-256" })).toBe(
      false,
    );
  });

  it("gives typed errors for malformed keys and arguments", async () => {
    const sig = new Uint8Array(256);
    const cases: [unknown, string][] = [
      [{ publicKeySpki: Uint8Array.of(0x30, 0x00), message, signature: sig, hash: "SHA-256" }, "KEY_MALFORMED"],
      [{ publicKeySpki: rsaSpki, message, signature: sig, hash: "MD5" }, "VALIDATION_FAILED"],
      [{ publicKeySpki: "nope", message, signature: sig, hash: "SHA-256" }, "VALIDATION_FAILED"],
      [{ publicKeySpki: ecSpki, message, signature: sig, hash: "SHA-256" }, "ALGORITHM_UNSUPPORTED"],
    ];
    for (const [args, code] of cases) {
      await expect(verifyRsaPkcs1(args as Parameters<typeof verifyRsaPkcs1>[0])).rejects.toMatchObject({ code });
    }
    const small = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const smallSpki = new Uint8Array(small.publicKey.export({ type: "spki", format: "der" }));
    await expect(
      verifyRsaPkcs1({ publicKeySpki: smallSpki, message, signature: sig, hash: "SHA-256" }),
    ).rejects.toBeInstanceOf(AppError);
  });
});

describe("verifyRsaPss (RFC 8017 §8.1)", () => {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const spki = new Uint8Array(publicKey.export({ type: "spki", format: "der" }));
  const rows = [
    { hash: "SHA-256", mgfHash: "SHA-256", saltLength: 32 },
    { hash: "SHA-384", mgfHash: "SHA-384", saltLength: 48 },
    { hash: "SHA-256", mgfHash: "SHA-256", saltLength: 0 },
  ] as const;
  it.each(rows)("$hash / MGF1-$mgfHash / salt $saltLength", async (row) => {
    const sig = new Uint8Array(
      nodeSign(row.hash.replace("-", "").toLowerCase(), message, {
        key: privateKey,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: row.saltLength,
      }),
    );
    expect(await verifyRsaPss({ publicKeySpki: spki, message, signature: sig, ...row })).toBe(true);
    expect(await verifyRsaPss({ publicKeySpki: spki, message, signature: flip(sig), ...row })).toBe(false);
    expect(
      await verifyRsaPss({ publicKeySpki: spki, message, signature: sig, ...row, saltLength: row.saltLength + 1 }),
    ).toBe(false);
    // The JS EMSA-PSS path (used when MGF1's hash differs) agrees with OpenSSL on these.
    expect(await verifyRsaPss({ publicKeySpki: spki, message, signature: sig, ...row, mgfHash: "SHA-512" })).toBe(
      false,
    );
  });

  it("verifies an MGF1 hash different from the message hash (manual EMSA-PSS, signed by the openssl CLI)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "pss-"));
    try {
      writeFileSync(path.join(dir, "key.pem"), privateKey.export({ type: "pkcs8", format: "pem" }));
      writeFileSync(path.join(dir, "msg"), message);
      const sig = new Uint8Array(
        execFileSync("openssl", [
          "dgst",
          "-sha256",
          "-sign",
          path.join(dir, "key.pem"),
          "-sigopt",
          "rsa_padding_mode:pss",
          "-sigopt",
          "rsa_mgf1_md:sha1",
          "-sigopt",
          "rsa_pss_saltlen:20",
          path.join(dir, "msg"),
        ]),
      );
      const args = { publicKeySpki: spki, message, signature: sig, hash: "SHA-256", saltLength: 20 } as const;
      expect(await verifyRsaPss({ ...args, mgfHash: "SHA-1" })).toBe(true);
      expect(await verifyRsaPss({ ...args, mgfHash: "SHA-256" })).toBe(false);
      expect(await verifyRsaPss({ ...args, mgfHash: "SHA-1", saltLength: 32 })).toBe(false);
      expect(await verifyRsaPss({ ...args, mgfHash: "SHA-1", signature: flip(sig) })).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("accepts a key whose SPKI is id-RSASSA-PSS (WebCrypto RSA-PSS keys export as rsaEncryption; OpenSSL's do not)", async () => {
    const k = generateKeyPairSync("rsa-pss", { modulusLength: 2048 });
    const pssSpki = new Uint8Array(k.publicKey.export({ type: "spki", format: "der" }));
    const sig = new Uint8Array(
      nodeSign("sha256", message, { key: k.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }),
    );
    expect(
      await verifyRsaPss({
        publicKeySpki: pssSpki,
        message,
        signature: sig,
        hash: "SHA-256",
        mgfHash: "SHA-256",
        saltLength: 32,
      }),
    ).toBe(true);
  });
});

describe("RSASSA-PSS with SHA-224 (RFC 4055 §2.1 lists it for the message and the MGF1 hash)", () => {
  // RSASSA-PSS-params { hashAlgorithm sha224, maskGenAlgorithm mgf1(sha224), saltLength 28 } as DER.
  const sha224 = [0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04];
  const mgf1 = [0x30, 0x18, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08, ...sha224];
  const params = new Uint8Array([0x30, 0x30, 0xa0, 0x0d, ...sha224, 0xa1, 0x1a, ...mgf1, 0xa2, 0x03, 0x02, 0x01, 0x1c]);

  it("reads the parameters and verifies a valid signature; a changed message does not verify", () => {
    expect(parsePssParams(params)).toEqual({ hash: "SHA-224", mgfHash: "SHA-224", saltLength: 28 });
    const k = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const spki = new Uint8Array(k.publicKey.export({ type: "spki", format: "der" }));
    const sig = new Uint8Array(
      nodeSign("sha224", message, { key: k.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 28 }),
    );
    const alg = { oid: "1.2.840.113549.1.1.10", params };
    expect(verifyWithAlgorithm(alg, spki, message, sig)).toBe(true);
    expect(verifyWithAlgorithm(alg, spki, new Uint8Array([...message, 0]), sig)).toBe(false);
  });
});

describe("verifyEcdsa", () => {
  it("accepts P1363 (WebCrypto) and DER encodings", async () => {
    const p1363 = new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, ecPriv, message));
    expect(
      await verifyEcdsa({
        publicKeySpki: ecSpki,
        message,
        signature: p1363,
        hash: "SHA-256",
        signatureEncoding: "p1363",
      }),
    ).toBe(true);
    expect(
      await verifyEcdsa({
        publicKeySpki: ecSpki,
        message,
        signature: flip(p1363),
        hash: "SHA-256",
        signatureEncoding: "p1363",
      }),
    ).toBe(false);
    expect(
      await verifyEcdsa({
        publicKeySpki: ecSpki,
        message,
        signature: p1363,
        hash: "SHA-256",
        signatureEncoding: "der",
      }),
    ).toBe(false);
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-384" });
    const der = new Uint8Array(nodeSign("sha384", message, privateKey));
    const spki = new Uint8Array(publicKey.export({ type: "spki", format: "der" }));
    expect(
      await verifyEcdsa({ publicKeySpki: spki, message, signature: der, hash: "SHA-384", signatureEncoding: "der" }),
    ).toBe(true);
    expect(
      await verifyEcdsa({
        publicKeySpki: spki,
        message,
        signature: Uint8Array.of(0x30, 0x01),
        hash: "SHA-384",
        signatureEncoding: "der",
      }),
    ).toBe(false);
  });

  it("refuses curves outside P-256/384/521", async () => {
    const { publicKey } = generateKeyPairSync("ec", { namedCurve: "secp256k1" });
    const spki = new Uint8Array(publicKey.export({ type: "spki", format: "der" }));
    await expect(
      verifyEcdsa({
        publicKeySpki: spki,
        message,
        signature: new Uint8Array(64),
        hash: "SHA-256",
        signatureEncoding: "p1363",
      }),
    ).rejects.toMatchObject({ code: "ALGORITHM_UNSUPPORTED" });
  });
});
