import * as x509 from "@peculiar/x509";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { beforeAll, describe, expect, it } from "vitest";
import { signCms } from "./cms-sign";
import { verifyCms } from "./cms-verify";
import { ensureEngine } from "./engine";
import { buildCrl, createRootCa, issueSignCertificate, type SimCa } from "../../jlis-sim/ca/ca";
import { DAY, ecKeys, makeCert, NOW, rsaKeys } from "../../test/jpki/fixtures";

let signCa: SimCa;
let otherCa: SimCa;
let keys: CryptoKeyPair;
let cert: Uint8Array;
let twin: Uint8Array;
const content = new TextEncoder().encode(JSON.stringify({ type: "residence-certificate", name: "山田 太郎" }));
const signingTime = new Date(NOW.getTime() - 60_000);
const facts = {
  name: "山田\u3000太郎",
  address: "東京都清瀬市中里一丁目1番地",
  dateOfBirth: "1990-01-02",
  gender: "male" as const,
};

beforeAll(async () => {
  const [a, b, k] = await Promise.all([rsaKeys(), rsaKeys(), rsaKeys()]);
  keys = k;
  const v = { notBefore: new Date("2020-01-01T00:00:00Z"), notAfter: new Date("2035-01-01T00:00:00Z") };
  signCa = await createRootCa({ purpose: "sign", generation: 1, keys: a, ...v });
  otherCa = await createRootCa({ purpose: "sign", generation: 2, keys: b, ...v });
  const issue = (notAfter?: Date) =>
    issueSignCertificate({
      ca: signCa,
      subjectPublicKey: k.publicKey,
      serialNumber: 4242n,
      facts,
      prefectureRomaji: "Tokyo-to",
      municipalityRomaji: "Kiyose-shi",
      municipalityCode: "13221",
      issuedAt: new Date("2025-06-01T00:00:00Z"),
      notAfter,
    });
  cert = await issue();
  // Same issuer, serial and key, other validity: what signing-certificate-v2 exists to tell apart.
  twin = await issue(new Date("2029-12-31T14:59:59Z"));
}, 30_000);

function findSub(hay: Uint8Array, needle: Uint8Array): number {
  return Buffer.from(hay).indexOf(Buffer.from(needle));
}

const sign = (over: Partial<Parameters<typeof signCms>[0]> = {}) =>
  signCms({ content, signerCertificate: cert, privateKey: keys.privateKey, detached: false, signingTime, ...over });

const failed = (r: Awaited<ReturnType<typeof verifyCms>>) => r.checks.filter((c) => !c.ok).map((c) => c.code);

describe("verifyCms (RFC 5652 §5.6, CAdES-BES)", () => {
  it("verifies attached and detached signatures and returns the signer's four facts", async () => {
    for (const detached of [false, true]) {
      const sd = await sign({ detached });
      const r = await verifyCms({
        signedData: sd,
        detachedContent: detached ? content : undefined,
        trustAnchors: [otherCa.certificate, signCa.certificate],
        time: NOW,
      });
      expect(failed(r)).toEqual([]);
      expect(r.valid).toBe(true);
      expect(r.checks.map((c) => c.code)).toEqual([
        "CMS_STRUCTURE",
        "CMS_SIGNER_CERTIFICATE",
        "CMS_CONTENT_TYPE",
        "CMS_MESSAGE_DIGEST",
        "CMS_SIGNING_TIME",
        "CMS_SIGNING_CERTIFICATE_V2",
        "CMS_SIGNATURE",
        "CERT_KEY_USAGE",
        "CERT_PATH",
      ]);
      expect(r.facts).toMatchObject({
        name: facts.name,
        address: facts.address,
        dateOfBirth: "1990-01-02",
        gender: "male",
      });
      expect(r.signingTime?.getTime()).toBe(Math.floor(signingTime.getTime() / 1000) * 1000);
      expect(Buffer.from(r.content!).equals(Buffer.from(content))).toBe(true);
      expect(r.path).toHaveLength(2);
    }
  });

  it("is readable by PKI.js, and reads PKI.js's SignedData", async () => {
    ensureEngine();
    const sd = await sign();
    const ci = pkijs.ContentInfo.fromBER(new Uint8Array(sd));
    const signed = new pkijs.SignedData({ schema: ci.content });
    expect(await signed.verify({ signer: 0, checkChain: false })).toBe(true);

    const pk = new pkijs.SignedData({
      version: 1,
      encapContentInfo: new pkijs.EncapsulatedContentInfo({
        eContentType: "1.2.840.113549.1.7.1",
        eContent: new asn1js.OctetString({ valueHex: content }),
      }),
      signerInfos: [
        new pkijs.SignerInfo({
          version: 1,
          sid: new pkijs.IssuerAndSerialNumber({
            issuer: pkijs.Certificate.fromBER(new Uint8Array(cert)).issuer,
            serialNumber: pkijs.Certificate.fromBER(new Uint8Array(cert)).serialNumber,
          }),
        }),
      ],
      certificates: [pkijs.Certificate.fromBER(new Uint8Array(cert))],
    });
    const digest = await crypto.subtle.digest("SHA-256", content);
    pk.signerInfos[0]!.signedAttrs = new pkijs.SignedAndUnsignedAttributes({
      type: 0,
      attributes: [
        new pkijs.Attribute({
          type: "1.2.840.113549.1.9.3",
          values: [new asn1js.ObjectIdentifier({ value: "1.2.840.113549.1.7.1" })],
        }),
        new pkijs.Attribute({ type: "1.2.840.113549.1.9.5", values: [new asn1js.UTCTime({ valueDate: signingTime })] }),
        new pkijs.Attribute({ type: "1.2.840.113549.1.9.4", values: [new asn1js.OctetString({ valueHex: digest })] }),
      ],
    });
    await pk.sign(keys.privateKey, 0, "SHA-256");
    const der = new Uint8Array(
      new pkijs.ContentInfo({ contentType: "1.2.840.113549.1.7.2", content: pk.toSchema(true) }).toSchema().toBER(),
    );
    const r = await verifyCms({ signedData: der, trustAnchors: [signCa.certificate], time: NOW });
    // Everything verifies except the CAdES-BES requirement PKI.js does not add by itself.
    expect(failed(r)).toEqual(["CMS_SIGNING_CERTIFICATE_V2"]);
  });

  it("signs and verifies with ECDSA", async () => {
    const [caK, leafK] = await Promise.all([ecKeys(), ecKeys()]);
    const root = { name: "CN=EC Issuer", keys: caK };
    const rootDer = await makeCert({
      subject: root.name,
      keys: caK,
      ca: true,
      keyUsage: x509.KeyUsageFlags.keyCertSign,
    });
    const leafDer = await makeCert({
      subject: "CN=EC Signer",
      keys: leafK,
      issuer: root,
      keyUsage: x509.KeyUsageFlags.digitalSignature,
    });
    const sd = await signCms({
      content,
      signerCertificate: leafDer,
      privateKey: leafK.privateKey,
      detached: true,
      signingTime,
    });
    const r = await verifyCms({ signedData: sd, detachedContent: content, trustAnchors: [rootDer], time: NOW });
    expect(failed(r)).toEqual([]);
    expect(r.facts).toBeUndefined();
  });

  it("refuses a signer whose keyUsage does not allow signatures", async () => {
    const [caK, leafK] = await Promise.all([ecKeys(), ecKeys()]);
    const root = { name: "CN=KU Issuer", keys: caK };
    const rootDer = await makeCert({
      subject: root.name,
      keys: caK,
      ca: true,
      keyUsage: x509.KeyUsageFlags.keyCertSign,
    });
    const leafDer = await makeCert({
      subject: "CN=KU Signer",
      keys: leafK,
      issuer: root,
      keyUsage: x509.KeyUsageFlags.keyAgreement,
    });
    const sd = await signCms({
      content,
      signerCertificate: leafDer,
      privateKey: leafK.privateKey,
      detached: false,
      signingTime,
    });
    const r = await verifyCms({ signedData: sd, trustAnchors: [rootDer], time: NOW });
    expect(failed(r)).toEqual(["CERT_KEY_USAGE"]);
  });

  type Row = {
    name: string;
    make: () => Promise<{ sd: Uint8Array; detached?: Uint8Array; anchors?: Uint8Array[]; time?: Date }>;
    fails: string[];
  };
  const rows: Row[] = [
    {
      name: "altered detached content",
      make: async () => ({ sd: await sign({ detached: true }), detached: new TextEncoder().encode("something else") }),
      fails: ["CMS_MESSAGE_DIGEST"],
    },
    {
      name: "altered attached content",
      make: async () => {
        const sd = (await sign()).slice();
        const at = findSub(sd, content);
        sd[at + 3]! ^= 0x01;
        return { sd };
      },
      fails: ["CMS_MESSAGE_DIGEST"],
    },
    {
      name: "altered signed attribute (signing time)",
      make: async () => {
        const sd = (await sign()).slice();
        const t = new TextEncoder().encode(signingTime.toISOString().slice(2, 4));
        const at = findSub(sd, Uint8Array.of(0x17, 0x0d, ...t));
        sd[at + 12]! ^= 0x01;
        return { sd };
      },
      fails: ["CMS_SIGNATURE"],
    },
    {
      name: "signer certificate swapped for a twin (same issuer, serial and key)",
      make: async () => {
        const sd = (await sign()).slice();
        expect(twin.length).toBe(cert.length);
        sd.set(twin, findSub(sd, cert));
        return { sd };
      },
      fails: ["CMS_SIGNING_CERTIFICATE_V2"],
    },
    {
      name: "untrusted signer (other generation only)",
      make: async () => ({ sd: await sign(), anchors: [otherCa.certificate] }),
      fails: ["CERT_PATH"],
    },
    {
      name: "signing time before the certificate was valid",
      make: async () => ({ sd: await sign({ signingTime: new Date("2024-01-01T00:00:00Z") }) }),
      fails: ["CERT_PATH"],
    },
    {
      name: "signing time in the future",
      make: async () => ({ sd: await sign({ signingTime: new Date(NOW.getTime() + DAY) }) }),
      fails: ["CMS_SIGNING_TIME"],
    },
    {
      name: "signed while valid, verified after expiry: path judged at signing time",
      make: async () => ({ sd: await sign(), time: new Date("2031-01-01T00:00:00Z") }),
      fails: [],
    },
    {
      name: "detached signature without content",
      make: async () => ({ sd: await sign({ detached: true }) }),
      fails: ["CMS_STRUCTURE"],
    },
  ];
  it.each(rows)("$name", async (row) => {
    const m = await row.make();
    const r = await verifyCms({
      signedData: m.sd,
      detachedContent: m.detached,
      trustAnchors: m.anchors ?? [signCa.certificate],
      time: m.time ?? NOW,
    });
    expect(failed(r)).toEqual(row.fails);
    expect(r.valid).toBe(row.fails.length === 0);
  });

  it("checks revocation now (CRL) and reports the reason", async () => {
    const crl = (revoked: boolean) =>
      buildCrl({
        ca: signCa,
        entries: revoked
          ? [{ serialNumber: 4242n, revokedAt: new Date(NOW.getTime() - 1000), reason: "affiliationChanged" }]
          : [],
        thisUpdate: new Date(NOW.getTime() - DAY / 2),
        nextUpdate: new Date(NOW.getTime() + DAY / 2),
        crlNumber: 3n,
        issuingDistributionPoint:
          "C=JP, O=JPKI, OU=JPKI for digital signature, OU=CRL Distribution Points, OU=Tokyo-to, CN=Kiyose-shi CRLDP",
      });
    const sd = await sign();
    const good = await verifyCms({
      signedData: sd,
      trustAnchors: [signCa.certificate],
      time: NOW,
      revocation: { crls: { bytes: await crl(false) } },
    });
    expect(good.valid).toBe(true);
    expect(good.revocation).toMatchObject({ status: "good", source: "crl" });
    const bad = await verifyCms({
      signedData: sd,
      trustAnchors: [signCa.certificate],
      time: NOW,
      revocation: { crls: { bytes: await crl(true) } },
    });
    expect(failed(bad)).toEqual(["CERT_REVOCATION"]);
    expect(bad.revocation).toMatchObject({ status: "revoked", reason: "affiliationChanged" });
    const none = await verifyCms({
      signedData: sd,
      trustAnchors: [signCa.certificate],
      time: NOW,
      revocation: { ocsp: { url: "http://127.0.0.1:9/ocsp", timeoutMs: 1000 } },
    });
    expect(failed(none)).toEqual(["CERT_REVOCATION"]);
    expect(none.revocation?.status).toBe("unavailable");
  });

  it("throws typed errors for input that is not SignedData", async () => {
    await expect(
      verifyCms({ signedData: Uint8Array.of(0x30, 0x00), trustAnchors: [signCa.certificate] }),
    ).rejects.toMatchObject({
      code: "CMS_MALFORMED",
    });
    await expect(verifyCms({ signedData: cert, trustAnchors: [signCa.certificate] })).rejects.toMatchObject({
      code: "CMS_MALFORMED",
    });
    await expect(verifyCms({ signedData: await sign(), trustAnchors: [] })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
    });
  });
});

describe("verifyCms is DER-strict where the signature does not cover the bytes", () => {
  it("no single-bit change anywhere in a valid SignedData verifies (version, digestAlgorithms, sid, algorithm parameters …)", async () => {
    const sd = await sign();
    expect((await verifyCms({ signedData: sd, trustAnchors: [signCa.certificate], time: NOW })).valid).toBe(true);
    const stillValid: string[] = [];
    for (let i = 0; i < sd.length; i++) {
      for (const mask of [0x01, 0x20]) {
        const m = sd.slice();
        m[i]! ^= mask;
        try {
          const r = await verifyCms({ signedData: m, trustAnchors: [signCa.certificate], time: NOW });
          if (r.valid) stillValid.push(`byte ${i} ^ 0x${mask.toString(16)}`);
        } catch {
          // refused as malformed: fine
        }
      }
    }
    expect(stillValid).toEqual([]);
  }, 120_000);

  it("names each refusal: version, a digest the set does not list, a sid that is not the certificate's exact DER", async () => {
    const sd = await sign();
    const verify = (b: Uint8Array) => verifyCms({ signedData: b, trustAnchors: [signCa.certificate], time: NOW });
    // SignedData version 1 → 3 (the second INTEGER 1 after the content's [0] is SignedData.version).
    const v = findSub(sd, new Uint8Array([0x02, 0x01, 0x01, 0x31]));
    expect(v).toBeGreaterThan(0);
    const v3 = sd.slice();
    v3[v + 2] = 0x03;
    expect((await verify(v3)).checks.find((c) => !c.ok)?.detail).toMatch(/version 3, RFC 5652 §5.1 requires 1/);
    // digestAlgorithms says SHA-384 while the signer used SHA-256.
    const sha256 = new Uint8Array([0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01]);
    const at = findSub(sd, sha256);
    const other = sd.slice();
    other[at + 10] = 0x02;
    expect((await verify(other)).checks.find((c) => !c.ok)?.detail).toMatch(/not listed in digestAlgorithms/);
  });
});
