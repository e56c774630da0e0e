import { beforeAll, describe, expect, it } from "vitest";
import { decodeJpkiBirthDate, parseJpkiCertificate, requireJpkiCertificate } from "./jpki-certificate";
import {
  createRootCa,
  issueAuthCertificate,
  issueOcspResponderCertificate,
  issueSignCertificate,
  type SimCa,
} from "../../jlis-sim/ca/ca";
import { OID } from "./oids";
import { NOW, rsaKeys } from "../../test/jpki/fixtures";

let authCa: SimCa;
let signCa: SimCa;
let testSignCa: SimCa;
let keys: CryptoKeyPair;

beforeAll(async () => {
  const [a, s, t, k] = await Promise.all([rsaKeys(), rsaKeys(), rsaKeys(), rsaKeys()]);
  keys = k;
  const v = { notBefore: new Date("2023-07-16T00:00:00Z"), notAfter: new Date("2033-07-15T00:00:00Z") };
  authCa = await createRootCa({ purpose: "auth", generation: 3, keys: a, ...v });
  signCa = await createRootCa({ purpose: "sign", generation: 3, keys: s, ...v });
  testSignCa = await createRootCa({ purpose: "sign", generation: 1, hierarchy: "test", keys: t, ...v });
}, 30_000);

const facts = {
  name: "𠮷野\u3000太郎",
  address: "東京都清瀬市中里一丁目1番地",
  dateOfBirth: "1990-01-02",
  gender: "male" as const,
  nameFlags: "1000",
};

describe("parseJpkiCertificate (docs/jpki.md#the-two-certificates)", () => {
  it("reads a signing certificate's four facts, flags, locality, policy and token type", async () => {
    const der = await issueSignCertificate({
      ca: signCa,
      subjectPublicKey: keys.publicKey,
      serialNumber: 0x1abcdefn,
      facts,
      prefectureRomaji: "Tokyo-to",
      municipalityRomaji: "Kiyose-shi",
      municipalityCode: "13221",
      issuedAt: NOW,
      tokenType: "android",
    });
    // An unparseable root among the generation hints is skipped, not fatal.
    const j = parseJpkiCertificate(der, {
      roots: [
        { generation: 1, certificate: Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01) },
        { generation: 3, certificate: signCa.certificate },
      ],
    });
    expect(j).toMatchObject({
      kind: "sign",
      hierarchy: "production",
      serialHex: "1abcdef",
      tokenType: "android",
      policies: [OID.jpkiSignPolicy],
      keyUsage: ["digitalSignature", "nonRepudiation"],
      locality: { prefecture: "Tokyo-to", municipality: "Kiyose-shi" },
      generationHint: { generation: 3 },
      facts: {
        name: facts.name,
        address: facts.address,
        dateOfBirth: "1990-01-02",
        dateOfBirthEra: { code: "419900102", era: "平成", form: "平成2年1月2日" },
        gender: "male",
        nameFlags: "1000",
        addressFlags: "0".repeat([...facts.address].length),
      },
    });
    expect(j.subject).toContain("L=Kiyose-shi");
    expect(j.issuer).toBe(
      "C=JP, O=JPKI, OU=JPKI for digital signature, OU=Japan Agency for Local Authority Information Systems",
    );
  });

  it("marks the test hierarchy", async () => {
    const der = await issueSignCertificate({
      ca: testSignCa,
      subjectPublicKey: keys.publicKey,
      serialNumber: 2n,
      facts: { ...facts, gender: "female", dateOfBirth: "2008-03-31" },
      prefectureRomaji: "Tokyo-to",
      municipalityRomaji: "Kiyose-shi",
      municipalityCode: "13221",
      issuedAt: NOW,
    });
    const j = parseJpkiCertificate(der);
    expect(j).toMatchObject({ kind: "sign", hierarchy: "test", tokenType: "card", policies: [OID.jpkiSignPolicyTest] });
    expect(j.facts?.gender).toBe("female");
    expect(j.facts?.dateOfBirthEra.form).toBe("平成20年3月31日");
  });

  it("reads an auth certificate (no personal data), an OCSP responder and a root", async () => {
    const auth = parseJpkiCertificate(
      await issueAuthCertificate({
        ca: authCa,
        subjectPublicKey: keys.publicKey,
        serialNumber: 77n,
        municipalityCode: "13221",
        issuedAt: NOW,
        dateOfBirth: "2019-05-01",
        tokenType: "iphone",
      }),
    );
    expect(auth).toMatchObject({ kind: "auth", tokenType: "iphone", keyUsage: ["digitalSignature"], facts: undefined });
    expect(auth.subjectCommonName).toMatch(/^[0-9A-Z]{14}13221077I$/);
    expect(auth.notAfter.toISOString()).toBe("2030-05-01T14:59:59.000Z");
    const ocsp = parseJpkiCertificate(
      await issueOcspResponderCertificate({
        ca: authCa,
        subjectPublicKey: keys.publicKey,
        serialNumber: 5n,
        notBefore: NOW,
        notAfter: NOW,
      }),
    );
    expect(ocsp.kind).toBe("ocsp");
    const root = parseJpkiCertificate(authCa.certificate, {
      roots: [{ generation: 3, certificate: authCa.certificate }],
    });
    expect(root).toMatchObject({ kind: "ca", generationHint: { generation: 3 }, keyUsage: ["keyCertSign", "cRLSign"] });
  });

  it.each([
    ["419900102", "1990-01-02", "平成2年1月2日"],
    ["519990101", "1999-01-01", undefined],
    ["520190501", "2019-05-01", "令和元年5月1日"],
    ["118991201", "1899-12-01", "明治32年12月1日"],
    ["319260101", "1926-01-01", "昭和元年1月1日"],
    ["000000000", undefined, undefined],
  ])("birth date %s", (code, iso, form) => {
    const d = decodeJpkiBirthDate(code);
    expect(d.dateOfBirth).toBe(iso);
    expect(d.eraForm).toBe(form);
  });

  it.each(["", "41990010", "4199001022", "619900102", "4abcdefgh"])("rejects birth date %j", (code) => {
    expect(() => decodeJpkiBirthDate(code)).toThrow(expect.objectContaining({ code: "CERT_MALFORMED" }));
  });

  it.each([
    [Uint8Array.of(), "DER_MALFORMED"],
    [Uint8Array.of(0x30, 0x84, 0xff, 0xff, 0xff, 0xff), "DER_MALFORMED"],
    [Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01), "CERT_MALFORMED"],
    [new Uint8Array(70_000), "INPUT_TOO_LARGE"],
  ])("typed error for bad input %#", (der, code) => {
    expect(() => parseJpkiCertificate(der)).toThrow(expect.objectContaining({ code }));
  });

  it("refuses a signing certificate offered for login, and an auth certificate for a signature", async () => {
    const sign = await issueSignCertificate({
      ca: signCa,
      subjectPublicKey: keys.publicKey,
      serialNumber: 9n,
      facts,
      prefectureRomaji: "Tokyo-to",
      municipalityRomaji: "Kiyose-shi",
      municipalityCode: "13221",
      issuedAt: NOW,
    });
    const auth = await issueAuthCertificate({
      ca: authCa,
      subjectPublicKey: keys.publicKey,
      serialNumber: 10n,
      municipalityCode: "13221",
      issuedAt: NOW,
      dateOfBirth: "1990-01-02",
    });
    expect(requireJpkiCertificate(auth, "auth").kind).toBe("auth");
    expect(requireJpkiCertificate(sign, "sign").kind).toBe("sign");
    expect(() => requireJpkiCertificate(sign, "auth")).toThrow(expect.objectContaining({ code: "CERT_WRONG_PURPOSE" }));
    expect(() => requireJpkiCertificate(auth, "sign")).toThrow(expect.objectContaining({ code: "CERT_WRONG_PURPOSE" }));
    expect(() => requireJpkiCertificate(authCa.certificate, "auth")).toThrow(
      expect.objectContaining({ code: "CERT_WRONG_PURPOSE" }),
    );
  });
});
