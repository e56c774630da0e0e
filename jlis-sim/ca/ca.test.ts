import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as x509 from "@peculiar/x509";
import * as asn1js from "asn1js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors/app-error";
import {
  buildCrl,
  createRootCa,
  type FourFacts,
  generateRsaKeyPair,
  issueAuthCertificate,
  issueOcspResponderCertificate,
  issueSignCertificate,
  jpkiValidityEnd,
  type RevocationReason,
  type SimCa,
} from "./ca";
import { describeJpkiCertificate, formatJpkiDescription } from "./describe-certificate";
import { signCrlDistributionPointName, TOKEN_LABELS } from "./profiles";
import { ageOn, decodeEraDate, encodeEraDate } from "./validity";

const NOW = new Date("2025-04-01T01:00:00Z"); // 10:00 JST
const AUTH_DN =
  "C=JP, O=JPKI, OU=JPKI for user authentication, OU=Japan Agency for Local Authority Information Systems";
const SIGN_DN = "C=JP, O=JPKI, OU=JPKI for digital signature, OU=Japan Agency for Local Authority Information Systems";
const FACTS: FourFacts = {
  name: "山田\u3000太郎",
  address: "東京都清瀬市中里五丁目８４２番地",
  dateOfBirth: "1990-01-02",
  gender: "male",
};

let keys: CryptoKeyPair[];
let authGen1: SimCa;
let authGen2: SimCa;
let signGen1: SimCa;
let signTest: SimCa;

beforeAll(async () => {
  keys = await Promise.all([1, 2, 3, 4, 5].map(() => generateRsaKeyPair()));
  const [k0, k1, k2, k3] = keys as [CryptoKeyPair, CryptoKeyPair, CryptoKeyPair, CryptoKeyPair];
  const span = { notBefore: new Date("2023-07-16T00:00:00Z"), notAfter: new Date("2033-07-15T00:00:00Z") };
  authGen1 = await createRootCa({ purpose: "auth", generation: 1, keys: k0, ...span });
  authGen2 = await createRootCa({ purpose: "auth", generation: 2, keys: k1, ...span });
  signGen1 = await createRootCa({ purpose: "sign", generation: 1, keys: k2, ...span });
  signTest = await createRootCa({ purpose: "sign", generation: 1, hierarchy: "test", keys: k3, ...span });
});

const leafKey = () => keys[4]!;
const parseCert = (der: Uint8Array) => new x509.X509Certificate(new Uint8Array(der));
const parseCrl = (der: Uint8Array) => new x509.X509Crl(new Uint8Array(der));

function ext(cert: x509.X509Certificate, oid: string): x509.Extension {
  const e = cert.extensions.find((x) => x.type === oid);
  if (!e) throw new Error(`extension ${oid} missing`);
  return e;
}

function asn(value: ArrayBuffer): asn1js.AsnType {
  const parsed = asn1js.fromBER(value);
  if (parsed.offset === -1) throw new Error(parsed.result.error);
  return parsed.result;
}

function children(node: asn1js.AsnType): asn1js.AsnType[] {
  return (node as asn1js.Constructed).valueBlock.value;
}

function tagOf(node: asn1js.AsnType): [number, number] {
  return [node.idBlock.tagClass, node.idBlock.tagNumber];
}

/** The Name inside a `[4]` DirName GeneralName, as x509 prints it. */
function dirNameString(generalName: asn1js.AsnType): string {
  expect(tagOf(generalName)).toEqual([3, 4]);
  return new x509.Name(children(generalName)[0]!.toBER()).toString();
}

/** The string types of each attribute value of a DER Name. */
function attributeTags(nameDer: ArrayBuffer): number[] {
  return children(asn(nameDer)).map((rdn) => children(children(rdn)[0]!)[1]!.idBlock.tagNumber);
}

const PRINTABLE = 19;
const UTF8 = 12;

describe("root CAs (docs/jpki.md#roots-and-hierarchies)", () => {
  it.each([
    ["auth production", () => authGen1, AUTH_DN],
    ["sign production", () => signGen1, SIGN_DN],
    ["sign test", () => signTest, SIGN_DN.replace("O=JPKI,", "O=JPKI-TEST,")],
  ])("%s: DN, key usage, basic constraints, SKI, SAN and ARL DP", async (_label, ca, dn) => {
    const cert = parseCert(ca().certificate);
    expect(cert.subject).toBe(dn);
    expect(cert.issuer).toBe(dn);
    expect(attributeTags(cert.subjectName.toArrayBuffer())).toEqual([PRINTABLE, PRINTABLE, PRINTABLE, PRINTABLE]);
    expect(cert.signatureAlgorithm).toMatchObject({ name: "RSASSA-PKCS1-v1_5", hash: { name: "SHA-256" } });
    expect((cert.publicKey.algorithm as RsaHashedKeyAlgorithm).modulusLength).toBe(2048);
    expect(await cert.verify({ publicKey: cert.publicKey, signatureOnly: true })).toBe(true);

    const ku = cert.getExtension(x509.KeyUsagesExtension)!;
    expect(ku.critical).toBe(true);
    expect(ku.usages).toBe(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign);
    const bc = cert.getExtension(x509.BasicConstraintsExtension)!;
    expect([bc.critical, bc.ca]).toEqual([true, true]);
    expect(cert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId).toMatch(/^[0-9a-f]{40}$/);

    const san = children(asn(ext(cert, "2.5.29.17").value));
    expect(san).toHaveLength(1);
    expect(dirNameString(san[0]!)).toBe("C=JP, O=公的個人認証サービス");
    expect(attributeTags(children(san[0]!)[0]!.toBER())).toEqual([PRINTABLE, UTF8]);

    const dp = children(asn(ext(cert, "2.5.29.31").value));
    const fullName = children(children(children(dp[0]!)[0]!)[0]!);
    expect(dirNameString(fullName[0]!)).toBe(dn);
  });

  it("generations share one DN but not a key (issuer must be found by key id)", () => {
    const [a, b] = [authGen1, authGen2].map((c) => parseCert(c.certificate));
    expect(a!.subject).toBe(b!.subject);
    expect(a!.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId).not.toBe(
      b!.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId,
    );
    expect([a!.serialNumber, b!.serialNumber]).toEqual(["01", "02"]);
  });
});

describe("user-authentication certificate (docs/jpki.md#user-authentication-certificate)", () => {
  it.each([
    ["card", "A"],
    ["android", "G"],
    ["iphone", "I"],
  ] as const)("%s token: subject, key usage, policy, no personal data, validity", async (tokenType, letter) => {
    const der = await issueAuthCertificate({
      ca: authGen2,
      subjectPublicKey: leafKey().publicKey,
      serialNumber: 123456789n,
      municipalityCode: "13221",
      issuedAt: NOW,
      dateOfBirth: "1990-01-02",
      tokenType,
    });
    const cert = parseCert(der);
    expect(cert.subject).toMatch(/^C=JP, CN=[0-9A-Z]{14}13221789[AGI]$/);
    expect(cert.subject.endsWith(letter)).toBe(true);
    expect(cert.issuer).toBe(AUTH_DN);
    expect(cert.serialNumber).toBe("075bcd15");
    expect(cert.notBefore.toISOString()).toBe("2025-03-31T15:00:00.000Z"); // 00:00 JST on 1 April
    expect(cert.notAfter.toISOString()).toBe("2030-01-02T14:59:59.000Z"); // 5th birthday, 23:59:59 JST
    expect(await cert.verify({ publicKey: authGen2.keys.publicKey, signatureOnly: true })).toBe(true);
    expect(await cert.verify({ publicKey: authGen1.keys.publicKey, signatureOnly: true })).toBe(false);

    const ku = cert.getExtension(x509.KeyUsagesExtension)!;
    expect([ku.critical, ku.usages]).toEqual([true, x509.KeyUsageFlags.digitalSignature]);
    const cp = ext(cert, "2.5.29.32");
    expect(cp.critical).toBe(false);
    const policies = children(asn(cp.value));
    expect(policies).toHaveLength(1);
    expect((children(policies[0]!)[0] as asn1js.ObjectIdentifier).valueBlock.toString()).toBe(
      "1.2.392.200149.8.5.1.3.30",
    );
    expect(cert.extensions.map((e) => e.type).sort()).toEqual(
      ["2.5.29.15", "2.5.29.32", "2.5.29.18", "2.5.29.35", "2.5.29.14"].sort(),
    ); // no EKU, no SAN, no AIA/OCSP URL
    expect(dirNameString(children(asn(ext(cert, "2.5.29.18").value))[0]!)).toBe("C=JP, O=公的個人認証サービス");
    expect(cert.getExtension(x509.AuthorityKeyIdentifierExtension)!.keyId).toBe(
      parseCert(authGen2.certificate).getExtension(x509.SubjectKeyIdentifierExtension)!.keyId,
    );
  });

  it("refuses a signing CA", async () => {
    await expect(
      issueAuthCertificate({
        ca: signGen1,
        subjectPublicKey: leafKey().publicKey,
        serialNumber: 1n,
        municipalityCode: "13221",
        issuedAt: NOW,
        dateOfBirth: "1990-01-02",
      }),
    ).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
  });
});

function otherNames(cert: x509.X509Certificate): [string, string][] {
  return children(asn(ext(cert, "2.5.29.17").value)).map((gn) => {
    expect(tagOf(gn)).toEqual([3, 0]); // otherName [0]
    const [typeId, explicit] = children(gn) as [asn1js.ObjectIdentifier, asn1js.Constructed];
    expect(tagOf(explicit)).toEqual([3, 0]); // [0] EXPLICIT
    const value = children(explicit)[0] as asn1js.Utf8String;
    expect(tagOf(value)).toEqual([1, UTF8]);
    return [typeId.valueBlock.toString(), value.valueBlock.value];
  });
}

describe("signing certificate (docs/jpki.md#signing-certificate, #the-four-basic-facts)", () => {
  const issue = (ca: SimCa, facts: FourFacts = FACTS, tokenType: "card" | "android" | "iphone" = "card") =>
    issueSignCertificate({
      ca,
      subjectPublicKey: leafKey().publicKey,
      serialNumber: 0x89abcdefn,
      facts,
      prefectureRomaji: "Tokyo-to",
      municipalityRomaji: "Kiyose-shi",
      municipalityCode: "13221",
      issuedAt: NOW,
      tokenType,
    });

  it.each([
    ["production", () => signGen1, "1.2.392.200149.8.5.1.1.20", "JPKI"],
    ["test", () => signTest, "1.2.392.200149.8.5.1.0.20", "JPKI-TEST"],
  ])("%s: subject, key usage, critical policy + CPS, four facts, IAN, CRL DP", async (_l, ca, policy, org) => {
    const cert = parseCert(await issue(ca()));
    expect(cert.subject).toBe("C=JP, L=Tokyo-to, L=Kiyose-shi, CN=2025040110000037967132210001");
    expect(cert.serialNumber).toBe("89abcdef");
    expect(await cert.verify({ publicKey: ca().keys.publicKey, signatureOnly: true })).toBe(true);
    const ku = cert.getExtension(x509.KeyUsagesExtension)!;
    expect([ku.critical, ku.usages]).toEqual([
      true,
      x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation,
    ]);
    const cp = ext(cert, "2.5.29.32");
    expect(cp.critical).toBe(true);
    const [info] = children(asn(cp.value));
    const [policyId, qualifiers] = children(info!);
    expect((policyId as asn1js.ObjectIdentifier).valueBlock.toString()).toBe(policy);
    const [qualifierId, uri] = children(children(qualifiers!)[0]!);
    expect((qualifierId as asn1js.ObjectIdentifier).valueBlock.toString()).toBe("1.3.6.1.5.5.7.2.1");
    expect((uri as asn1js.IA5String).valueBlock.value).toBe("http://www.jpki.go.jp/cps.html");

    expect(otherNames(cert)).toEqual([
      ["1.2.392.200149.8.5.5.1", "山田\u3000太郎"],
      ["1.2.392.200149.8.5.5.4", "419900102"],
      ["1.2.392.200149.8.5.5.3", "1"],
      ["1.2.392.200149.8.5.5.5", "東京都清瀬市中里五丁目８４２番地"],
      ["1.2.392.200149.8.5.5.2", "00000"],
      ["1.2.392.200149.8.5.5.6", "0000000000000000"],
    ]);
    expect(dirNameString(children(asn(ext(cert, "2.5.29.18").value))[0]!)).toBe("C=JP, O=公的個人認証サービス");
    const dp = children(asn(ext(cert, "2.5.29.31").value));
    expect(dirNameString(children(children(children(dp[0]!)[0]!)[0]!)[0]!)).toBe(
      `C=JP, O=${org}, OU=JPKI for digital signature, OU=CRL Distribution Points, OU=Tokyo-to, CN=Kiyose-shi CRLDP`,
    );
    expect(cert.getExtension(x509.ExtendedKeyUsageExtension)).toBeNull();
    expect(cert.extensions.some((e) => e.type === "1.3.6.1.5.5.7.1.1")).toBe(false); // no AIA
  });

  it.each([
    ["female, explicit flags", { ...FACTS, gender: "female", nameFlags: "01000", addressFlags: "1" }, "2", "01000"],
    ["unknown gender", { ...FACTS, gender: "unknown" }, "3", "00000"],
  ] as const)("%s", async (_l, facts, genderCode, nameFlags) => {
    const names = new Map(otherNames(parseCert(await issue(signGen1, facts))));
    expect(names.get("1.2.392.200149.8.5.5.3")).toBe(genderCode);
    expect(names.get("1.2.392.200149.8.5.5.2")).toBe(nameFlags);
  });

  it.each([
    ["android", "APGPSE001"],
    ["iphone", "APIOS0001"],
  ] as const)("%s token carries its channel window id", async (tokenType, window) => {
    const cert = parseCert(await issue(signGen1, FACTS, tokenType));
    expect(cert.subject.endsWith(window)).toBe(true);
  });

  it.each([
    ["14 the day before the 15th birthday", "2010-04-02", false],
    ["15 on the birthday itself", "2010-04-01", true],
    ["a baby", "2025-01-01", false],
  ])("age limit: %s", async (_l, dateOfBirth, allowed) => {
    const attempt = issue(signGen1, { ...FACTS, dateOfBirth });
    if (allowed) await expect(attempt).resolves.toBeInstanceOf(Uint8Array);
    else await expect(attempt).rejects.toMatchObject({ code: "JLIS_HOLDER_UNDER_15" });
  });

  it.each([
    ["name without U+3000", { ...FACTS, name: "山田 太郎" }],
    ["address over 200 chars", { ...FACTS, address: "あ".repeat(201) }],
    ["bad flags", { ...FACTS, nameFlags: "0x" }],
    ["impossible date", { ...FACTS, dateOfBirth: "1990-02-30" }],
  ])("rejects %s", async (_l, facts) => {
    await expect(issue(signGen1, facts)).rejects.toBeInstanceOf(AppError);
  });
});

describe("OCSP responder certificate (RFC 6960 §4.2.2.2)", () => {
  it("has ocspSigning, ocsp-nocheck and digitalSignature", async () => {
    const cert = parseCert(
      await issueOcspResponderCertificate({
        ca: authGen1,
        subjectPublicKey: leafKey().publicKey,
        serialNumber: 9001n,
        notBefore: NOW,
        notAfter: new Date("2026-04-01T00:00:00Z"),
      }),
    );
    expect(cert.issuer).toBe(AUTH_DN);
    expect(cert.getExtension(x509.ExtendedKeyUsageExtension)!.usages).toEqual(["1.3.6.1.5.5.7.3.9"]);
    expect(ext(cert, "1.3.6.1.5.5.7.48.1.5").value.byteLength).toBe(2); // NULL
    expect(cert.getExtension(x509.KeyUsagesExtension)!.usages).toBe(x509.KeyUsageFlags.digitalSignature);
    expect(await cert.verify({ publicKey: authGen1.keys.publicKey, signatureOnly: true })).toBe(true);
  });
});

describe("calendar rules", () => {
  it.each([
    // dob, issuedAt, expected notAfter (UTC = 23:59:59 JST)
    ["1990-01-02", "2025-04-01T01:00:00Z", "2030-01-02T14:59:59Z"],
    ["1990-04-01", "2025-04-01T01:00:00Z", "2030-04-01T14:59:59Z"], // birthday on issue day does not count
    ["1990-04-02", "2025-04-01T01:00:00Z", "2029-04-02T14:59:59Z"],
    ["1990-04-01", "2025-03-31T16:00:00Z", "2030-04-01T14:59:59Z"], // 01:00 JST on 1 April: issue day is 1 April
    ["1990-04-01", "2025-03-31T14:00:00Z", "2029-04-01T14:59:59Z"], // 23:00 JST on 31 March
    ["2000-02-29", "2025-01-10T00:00:00Z", "2029-02-28T14:59:59Z"], // Feb-29 birth, common year
    ["2000-02-29", "2023-01-10T00:00:00Z", "2027-02-28T14:59:59Z"],
    ["2000-02-29", "2023-03-10T00:00:00Z", "2028-02-29T14:59:59Z"], // 5th birthday in a leap year
    ["2000-02-29", "2024-02-29T03:00:00Z", "2029-02-28T14:59:59Z"], // issued on the leap birthday
  ])("dob %s issued %s → %s", (dob, issued, expected) => {
    expect(jpkiValidityEnd(dob, new Date(issued)).toISOString()).toBe(new Date(expected).toISOString());
  });

  it.each([
    ["2010-04-01", "2025-03-31T15:00:00Z", 15],
    ["2010-04-01", "2025-03-31T14:59:59Z", 14],
    ["2008-02-29", "2023-02-28T00:00:00Z", 15],
    ["2008-02-29", "2023-02-27T00:00:00Z", 14],
  ])("age of %s at %s is %i", (dob, at, age) => {
    expect(ageOn(dob, new Date(at))).toBe(age);
  });

  it.each([
    ["1990-01-02", "419900102", "平成", 2],
    ["2019-05-01", "520190501", "令和", 1],
    ["2019-04-30", "420190430", "平成", 31],
    ["1989-01-07", "319890107", "昭和", 64],
    ["1926-12-25", "319261225", "昭和", 1],
    ["1926-12-24", "219261224", "大正", 15],
    ["1899-12-01", "118991201", "明治", 32],
    ["1860-01-01", "018600101", undefined, undefined],
  ])("era-codes %s as %s", (date, coded, era, eraYear) => {
    expect(encodeEraDate(date)).toBe(coded);
    const decoded = decodeEraDate(coded);
    expect([decoded.date, decoded.era?.ja, decoded.eraYear]).toEqual([date, era, eraYear]);
  });

  it("token labels (docs/jpki.md#card-files-and-token-labels)", () => {
    expect(TOKEN_LABELS).toEqual({ card: "JPKIAPICCTOKEN2", android: "JPKIAPGPSETOKEN", iphone: "JPKIAPIOSTOKEN" });
  });
});

describe("CRLs (RFC 5280 §5)", () => {
  const reasons: RevocationReason[] = [
    "unspecified",
    "keyCompromise",
    "cACompromise",
    "affiliationChanged",
    "superseded",
    "cessationOfOperation",
    "certificateHold",
  ];
  const x509Reason: Record<RevocationReason, x509.X509CrlReason | undefined> = {
    unspecified: undefined, // RFC 5280 §5.3.1: omitted rather than 0
    keyCompromise: x509.X509CrlReason.keyCompromise,
    cACompromise: x509.X509CrlReason.cACompromise,
    affiliationChanged: x509.X509CrlReason.affiliationChanged,
    superseded: x509.X509CrlReason.superseded,
    cessationOfOperation: x509.X509CrlReason.cessationOfOperation,
    certificateHold: x509.X509CrlReason.certificateHold,
  };

  it("full CRL: issuer, dates, number, AKI, every reason, signature", async () => {
    const der = await buildCrl({
      ca: signGen1,
      entries: reasons.map((reason, i) => ({
        serialNumber: 0x80n + BigInt(i),
        revokedAt: new Date(NOW.getTime() - i * 1000),
        reason,
      })),
      thisUpdate: NOW,
      nextUpdate: new Date("2025-04-02T01:00:00Z"),
      crlNumber: 42n,
    });
    const crl = parseCrl(der);
    expect(crl.issuer).toBe(SIGN_DN);
    expect([crl.thisUpdate.toISOString(), crl.nextUpdate?.toISOString()]).toEqual([
      NOW.toISOString(),
      "2025-04-02T01:00:00.000Z",
    ]);
    expect(await crl.verify({ publicKey: signGen1.keys.publicKey })).toBe(true);
    expect(await crl.verify({ publicKey: authGen1.keys.publicKey })).toBe(false);
    expect(crl.entries.map((e) => [e.serialNumber, e.reason, e.revocationDate.getTime()])).toEqual(
      reasons.map((r, i) => [(0x80 + i).toString(16), x509Reason[r], NOW.getTime() - i * 1000]),
    );
    const crlNumber = crl.extensions.find((e) => e.type === "2.5.29.20")!;
    expect((asn(crlNumber.value) as asn1js.Integer).valueBlock.valueDec).toBe(42);
    expect(crl.getExtension(x509.AuthorityKeyIdentifierExtension)!.keyId).toBe(
      parseCert(signGen1.certificate).getExtension(x509.SubjectKeyIdentifierExtension)!.keyId,
    );
    expect(crl.extensions.some((e) => e.type === "2.5.29.28")).toBe(false);
  });

  it.each([
    [
      "municipality partition",
      { onlyContainsUserCerts: true, onlyContainsCACerts: false, partition: true },
      true,
      false,
    ],
    ["ARL", { onlyContainsUserCerts: false, onlyContainsCACerts: true, partition: false }, false, true],
  ])("%s: critical issuingDistributionPoint", async (_l, o, user, ca) => {
    const idpName = signCrlDistributionPointName({
      hierarchy: "production",
      prefectureRomaji: "Tokyo-to",
      municipalityRomaji: "Kiyose-shi",
    });
    const crl = parseCrl(
      await buildCrl({
        ca: signGen1,
        entries: [],
        thisUpdate: NOW,
        nextUpdate: new Date("2025-04-02T01:00:00Z"),
        crlNumber: 1n,
        issuingDistributionPoint: o.partition ? idpName : undefined,
        onlyContainsUserCerts: o.onlyContainsUserCerts,
        onlyContainsCACerts: o.onlyContainsCACerts,
      }),
    );
    expect(crl.entries).toHaveLength(0);
    const idp = crl.extensions.find((e) => e.type === "2.5.29.28")!;
    expect(idp.critical).toBe(true);
    const [dpField, ...flags] = children(asn(idp.value));
    expect(dirNameString(children(children(dpField!)[0]!)[0]!)).toBe(
      o.partition
        ? "C=JP, O=JPKI, OU=JPKI for digital signature, OU=CRL Distribution Points, OU=Tokyo-to, CN=Kiyose-shi CRLDP"
        : SIGN_DN,
    );
    expect(flags.map((f) => f.idBlock.tagNumber)).toEqual(user ? [1] : ca ? [2] : []);
  });

  describe("a large CRL", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "jpki-crl-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("200,000 entries load and verify in OpenSSL", async () => {
      function* entries() {
        for (let i = 1n; i <= 200_000n; i++) {
          yield { serialNumber: (1n << 63n) + i, revokedAt: NOW, reason: "affiliationChanged" as const };
        }
      }
      const der = await buildCrl({
        ca: signGen1,
        entries: entries(),
        thisUpdate: NOW,
        nextUpdate: new Date("2025-04-02T01:00:00Z"),
        crlNumber: 7n,
      });
      writeFileSync(path.join(dir, "big.crl"), der);
      writeFileSync(path.join(dir, "ca.pem"), parseCert(signGen1.certificate).toString("pem"));
      const out = execFileSync(
        "openssl",
        [
          "crl",
          "-inform",
          "DER",
          "-in",
          path.join(dir, "big.crl"),
          "-CAfile",
          path.join(dir, "ca.pem"),
          "-noout",
          "-text",
        ],
        { maxBuffer: 512 * 1024 * 1024, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
      );
      expect(out.match(/Serial Number: /g)).toHaveLength(200_000);
      expect(out).toContain("8000000000030D40"); // the last serial, 2^63 + 200000
      const verify = spawnSync(
        "openssl",
        [
          "crl",
          "-inform",
          "DER",
          "-in",
          path.join(dir, "big.crl"),
          "-CAfile",
          path.join(dir, "ca.pem"),
          "-noout",
          "-verify",
        ],
        { encoding: "utf8" },
      );
      expect(`${verify.stdout}${verify.stderr}`).toContain("verify OK");
    });
  });
});

describe("inspect: decoded JPKI content in Japanese and English", () => {
  const roots = () => [
    { label: "production auth", generation: 1, certificate: authGen1.certificate },
    { label: "production auth", generation: 2, certificate: authGen2.certificate },
    { label: "production sign", generation: 1, certificate: signGen1.certificate },
  ];

  it("a signing certificate: kind, generation by key, JST validity, policy, four facts with the era", async () => {
    const der = await issueSignCertificate({
      ca: signGen1,
      subjectPublicKey: leafKey().publicKey,
      serialNumber: 0x1234n,
      facts: { ...FACTS, dateOfBirth: "1989-01-08", gender: "female" },
      prefectureRomaji: "Tokyo-to",
      municipalityRomaji: "Kiyose-shi",
      municipalityCode: "13221",
      issuedAt: NOW,
    });
    const d = await describeJpkiCertificate(der, roots());
    expect(d).toMatchObject({ kind: "sign", serialHex: "1234", issuerRoot: { generation: 1 } });
    expect(d.facts).toMatchObject({ dateOfBirth: "1989-01-08", era: { ja: "平成", year: 1 }, gender: "2" });
    expect(formatJpkiDescription(d)).toEqual(
      expect.arrayContaining([
        "種別 / Kind: 署名用電子証明書 / digital signature certificate",
        "発行元ルート / Issuing root: production sign (第1世代 / generation 1)",
        "有効期間 / Validity: 2025-04-01 00:00:00 JST – 2030-01-08 23:59:59 JST",
        "証明書ポリシー / Policy: 1.2.392.200149.8.5.1.1.20 (critical) CPS http://www.jpki.go.jp/cps.html",
        "氏名 / Name: 山田\u3000太郎",
        "生年月日 / Date of birth: 1989-01-08 (平成元年 / Heisei 1) [419890108]",
        "性別 / Gender: 女 / female",
      ]),
    );
  });

  it("an auth certificate of generation 2 (same DN as generation 1): no personal data", async () => {
    const der = await issueAuthCertificate({
      ca: authGen2,
      subjectPublicKey: leafKey().publicKey,
      serialNumber: 77n,
      municipalityCode: "13221",
      issuedAt: NOW,
      dateOfBirth: "1990-01-02",
    });
    const lines = formatJpkiDescription(await describeJpkiCertificate(der, roots()));
    expect(lines).toContain("発行元ルート / Issuing root: production auth (第2世代 / generation 2)");
    expect(lines).toContain("個人情報 / Personal data: なし / none (利用者証明用 carries no four facts)");
  });

  it("garbage is CERT_MALFORMED", async () => {
    await expect(describeJpkiCertificate(Uint8Array.of(0x30, 0x01, 0x00))).rejects.toMatchObject({
      code: "CERT_MALFORMED",
    });
  });
});
