import { beforeAll, describe, expect, it } from "vitest";
import { createRootCa, issueSignCertificate, type SimCa } from "../../jlis-sim/ca/ca";
import { NOW, rsaKeys } from "../../test/jpki/fixtures";
import { buildCades, issuerAndSerialOf } from "./cades";
import { parseCertificate } from "./certificate";
import { signCms } from "./cms-sign";
import { verifyCms } from "./cms-verify";

// The callback form is what the browser does with the card agent: the builder never sees the key.
let ca: SimCa;
let keys: CryptoKeyPair;
let cert: Uint8Array;
const content = new TextEncoder().encode('{"kind":"move","newAddress":"徳島県一枚町栄町二丁目2番地"}');
const signingTime = new Date(NOW.getTime() - 60_000);
const RS256 = { name: "RSASSA-PKCS1-v1_5" } as const;

beforeAll(async () => {
  const [a, k] = await Promise.all([rsaKeys(), rsaKeys()]);
  keys = k;
  ca = await createRootCa({
    purpose: "sign",
    generation: 1,
    keys: a,
    notBefore: new Date("2020-01-01T00:00:00Z"),
    notAfter: new Date("2035-01-01T00:00:00Z"),
  });
  cert = await issueSignCertificate({
    ca,
    subjectPublicKey: k.publicKey,
    serialNumber: 0x8123n,
    facts: {
      name: "阿波\u3000太郎",
      address: "徳島県一枚町中央一丁目2番3号",
      dateOfBirth: "1980-04-02",
      gender: "male",
    },
    prefectureRomaji: "Tokushima-ken",
    municipalityRomaji: "Ichimai-cho",
    municipalityCode: "36999",
    issuedAt: new Date("2025-06-01T00:00:00Z"),
  });
}, 30_000);

const cardSign = async (data: Uint8Array) =>
  new Uint8Array(await crypto.subtle.sign(RS256, keys.privateKey, new Uint8Array(data)));

describe("buildCades (the browser's CAdES-BES over a signing callback)", () => {
  it("builds a SignedData verifyCms accepts, with the certificate's four facts", async () => {
    const sd = await buildCades({
      content,
      signerCertificate: cert,
      algorithm: "RSASSA-PKCS1-v1_5",
      sign: cardSign,
      detached: false,
      signingTime,
    });
    const r = await verifyCms({ signedData: sd, trustAnchors: [ca.certificate], time: NOW });
    expect(r.checks.filter((c) => !c.ok)).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.facts?.address).toBe("徳島県一枚町中央一丁目2番3号");
  });

  it("is byte for byte what the server's signCms builds (one structure, two signers)", async () => {
    const viaCallback = await buildCades({
      content,
      signerCertificate: cert,
      algorithm: "RSASSA-PKCS1-v1_5",
      sign: cardSign,
      detached: true,
      signingTime,
    });
    const viaKey = await signCms({
      content,
      signerCertificate: cert,
      privateKey: keys.privateKey,
      detached: true,
      signingTime,
    });
    expect(Buffer.from(viaCallback).equals(Buffer.from(viaKey))).toBe(true);
  });

  it("a signature over other bytes than the signed attributes fails verification", async () => {
    const sd = await buildCades({
      content,
      signerCertificate: cert,
      algorithm: "RSASSA-PKCS1-v1_5",
      sign: (data) => cardSign(new Uint8Array([...data, 0])),
      detached: false,
      signingTime,
    });
    const r = await verifyCms({ signedData: sd, trustAnchors: [ca.certificate], time: NOW });
    expect(r.valid).toBe(false);
  });

  it("reads issuer and serial as the certificate parser does", () => {
    const { issuer, serial } = issuerAndSerialOf(cert);
    const parsed = parseCertificate(cert);
    expect(Buffer.from(issuer).equals(Buffer.from(parsed.issuer.der))).toBe(true);
    expect(Buffer.from(serial).toString("hex")).toBe("0203008123");
  });
});
