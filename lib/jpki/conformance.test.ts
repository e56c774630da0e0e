import * as x509 from "@peculiar/x509";
import { beforeAll, describe, expect, it } from "vitest";
import { errorCodes } from "@/lib/errors/codes";
import { buildCrl, createRootCa, issueAuthCertificate, type SimCa } from "../../jlis-sim/ca/ca";
import { DAY, dnsSan, makeCert, NOW, resign, rsaKeys, type TIssuerRef, type TMakeCert } from "../../test/jpki/fixtures";
import { parseCertificate } from "./certificate";
import { validateChain } from "./chain";
import { signCms } from "./cms-sign";
import { verifyCms } from "./cms-verify";
import { CERTIFICATE_RULES, CRL_RULES, certificateViolations, isValidDnsName, isValidMailbox } from "./conformance";
import { checkWatchedSerials } from "./crl";
import {
  children,
  encode,
  encodeInteger,
  encodeOctetString,
  encodeOid,
  encodeSequence,
  readOid,
  readRoot,
  readTlv,
  Tag,
  tlvBytes,
} from "./der";
import { OID } from "./oids";
import { checkRevocation } from "./revocation";
import { ChainCode } from "./verification-report";

const KU = x509.KeyUsageFlags;
const ascii = (s: string) => new TextEncoder().encode(s);
/** A copy on its own ArrayBuffer (what @peculiar/x509 takes as an extension value). */
const own = (b: Uint8Array) => new Uint8Array(b);

const MID = "C=JP, O=Fixture, CN=Conformance CA";
const LEAF = "C=JP, O=Fixture, CN=Conformance Leaf";

let rootKeys: CryptoKeyPair;
let midKeys: CryptoKeyPair;
let leafKeys: CryptoKeyPair;
let root: TIssuerRef;
let midRef: TIssuerRef;
let rootCert: Uint8Array;

beforeAll(async () => {
  [rootKeys, midKeys, leafKeys] = await Promise.all([rsaKeys(), rsaKeys(), rsaKeys()]);
  root = { name: "C=JP, O=Fixture, CN=Conformance Root", keys: rootKeys };
  midRef = { name: MID, keys: midKeys };
  rootCert = await makeCert({ subject: root.name, keys: rootKeys, ca: true, keyUsage: KU.keyCertSign | KU.cRLSign });
}, 60_000);

type TChain = { leaf: Uint8Array; intermediates: Uint8Array[] };

/** A conforming intermediate CA under the root, changed by `o`. */
const mid = (o: Partial<TMakeCert> = {}) =>
  makeCert({ subject: MID, keys: midKeys, issuer: root, ca: true, keyUsage: KU.keyCertSign | KU.cRLSign, ...o });
/** A conforming end-entity certificate under `issuer`, changed by `o`. */
const leaf = (o: Partial<TMakeCert> = {}, issuer: TIssuerRef = midRef) =>
  makeCert({ subject: LEAF, keys: leafKeys, issuer, keyUsage: KU.digitalSignature, ...o });
const withLeaf = async (o: Partial<TMakeCert>): Promise<TChain> => ({
  leaf: await leaf(o),
  intermediates: [await mid()],
});
const withMid = async (o: Partial<TMakeCert>): Promise<TChain> => ({
  leaf: await leaf(),
  intermediates: [await mid(o)],
});

const ski = (keys: CryptoKeyPair) => x509.SubjectKeyIdentifierExtension.create(keys.publicKey);
const aki = async (keys: CryptoKeyPair, critical: boolean) =>
  new x509.AuthorityKeyIdentifierExtension((await ski(keys)).keyId, critical);
/** nameConstraints permitting dNSName example.jp (the leaves carry no dNSName, so it never bites). */
const nc = (critical: boolean) =>
  new x509.Extension(
    OID.nameConstraints,
    critical,
    own(encodeSequence(encode(0xa0, encodeSequence(encode(0x82, ascii("example.jp")))))),
  );
/** policyConstraints inhibitPolicyMapping 0 (no effect on a path without policy mappings). */
const pc = (critical: boolean) =>
  new x509.Extension(OID.policyConstraints, critical, Uint8Array.of(0x30, 0x03, 0x81, 0x01, 0x00));
const aia = (critical: boolean) =>
  new x509.Extension(
    OID.authorityInfoAccess,
    critical,
    own(
      encodeSequence(encodeSequence(encodeOid("1.3.6.1.5.5.7.48.1"), encode(0x86, ascii("http://ocsp.example.jp/")))),
    ),
  );
const emailSan = (value: string, critical: boolean) =>
  new x509.SubjectAlternativeNameExtension([{ type: "email", value }], critical);
/** The leaf with its serial INTEGER content replaced (x509 writes only positive serials). */
const leafWithSerial = async (content: number[]): Promise<TChain> => ({
  leaf: await resign(await leaf(), midKeys.privateKey, (e) => [
    e[0]!,
    encode(Tag.integer, Uint8Array.from(content)),
    ...e.slice(2),
  ]),
  intermediates: [await mid()],
});

/**
 * One row per rule: `broken` breaks just that rule, `twin` is the same chain without the fault.
 * Certificate rules are checked on the leaf (end-entity rules) or on the intermediate (CA rules).
 */
const rows: { code: string; name: string; broken: () => Promise<TChain>; twin: () => Promise<TChain> }[] = [
  {
    code: ChainCode.CERT_SERIAL_NOT_POSITIVE,
    name: "serial 0",
    broken: () => leafWithSerial([0x00]),
    twin: () => leafWithSerial([0x01]),
  },
  {
    code: ChainCode.CERT_SERIAL_NOT_POSITIVE,
    name: "serial -1",
    broken: () => leafWithSerial([0xff]),
    twin: () => leafWithSerial([0x00, 0xff]),
  },
  {
    code: ChainCode.CERT_SERIAL_TOO_LONG,
    name: "21-octet serial",
    broken: () => withLeaf({ serial: `01${"00".repeat(20)}` }),
    twin: () => withLeaf({ serial: `7f${"ff".repeat(19)}` }),
  },
  {
    code: ChainCode.CERT_AKI_MISSING,
    name: "leaf without authorityKeyIdentifier",
    broken: async () => withLeaf({ noKeyIds: true, extensions: [await ski(leafKeys)] }),
    twin: async () => withLeaf({ noKeyIds: true, extensions: [await ski(leafKeys), await aki(midKeys, false)] }),
  },
  {
    code: ChainCode.CERT_AKI_CRITICAL,
    name: "critical authorityKeyIdentifier",
    broken: async () => withLeaf({ noKeyIds: true, extensions: [await ski(leafKeys), await aki(midKeys, true)] }),
    twin: async () => withLeaf({ noKeyIds: true, extensions: [await ski(leafKeys), await aki(midKeys, false)] }),
  },
  {
    code: ChainCode.CERT_SKI_MISSING,
    name: "CA without subjectKeyIdentifier",
    broken: async () => withMid({ noKeyIds: true, extensions: [await aki(rootKeys, false)] }),
    twin: async () => withMid({ noKeyIds: true, extensions: [await aki(rootKeys, false), await ski(midKeys)] }),
  },
  {
    code: ChainCode.CERT_BASIC_CONSTRAINTS_NOT_CRITICAL,
    name: "CA with non-critical basicConstraints",
    broken: () => withMid({ ca: undefined, extensions: [new x509.BasicConstraintsExtension(true, undefined, false)] }),
    twin: () => withMid({ ca: undefined, extensions: [new x509.BasicConstraintsExtension(true, undefined, true)] }),
  },
  {
    code: ChainCode.CERT_NAME_CONSTRAINTS_NOT_CRITICAL,
    name: "non-critical nameConstraints",
    broken: () => withMid({ extensions: [nc(false)] }),
    twin: () => withMid({ extensions: [nc(true)] }),
  },
  {
    code: ChainCode.CERT_NAME_CONSTRAINTS_NOT_CA,
    name: "nameConstraints in an end-entity certificate",
    broken: () => withLeaf({ extensions: [nc(true)] }),
    twin: () => withLeaf({}),
  },
  {
    code: ChainCode.CERT_NAME_CONSTRAINTS_EMPTY,
    name: "empty nameConstraints",
    broken: () => withMid({ extensions: [new x509.Extension(OID.nameConstraints, true, own(encodeSequence()))] }),
    twin: () => withMid({ extensions: [nc(true)] }),
  },
  {
    code: ChainCode.CERT_NAME_CONSTRAINTS_EMPTY,
    name: "nameConstraints with an empty permittedSubtrees",
    broken: () =>
      withMid({ extensions: [new x509.Extension(OID.nameConstraints, true, own(encodeSequence(encode(0xa0))))] }),
    twin: () => withMid({ extensions: [nc(true)] }),
  },
  {
    code: ChainCode.CERT_POLICY_CONSTRAINTS_NOT_CRITICAL,
    name: "non-critical policyConstraints",
    broken: () => withMid({ extensions: [pc(false)] }),
    twin: () => withMid({ extensions: [pc(true)] }),
  },
  {
    code: ChainCode.CERT_AIA_CRITICAL,
    name: "critical authorityInfoAccess",
    broken: () => withLeaf({ extensions: [aia(true)] }),
    twin: () => withLeaf({ extensions: [aia(false)] }),
  },
  {
    code: ChainCode.CERT_KEY_CERT_SIGN_NOT_CA,
    name: "keyCertSign without cA",
    broken: () => withLeaf({ keyUsage: KU.digitalSignature | KU.keyCertSign }),
    twin: () => withLeaf({ keyUsage: KU.digitalSignature | KU.keyCertSign, ca: true }),
  },
  {
    code: ChainCode.CERT_EKU_EMPTY,
    name: "empty extKeyUsage",
    broken: () => withLeaf({ extensions: [new x509.Extension(OID.extKeyUsage, false, own(encodeSequence()))] }),
    twin: () => withLeaf({ eku: [OID.kpClientAuth] }),
  },
  {
    code: ChainCode.CERT_CA_SUBJECT_EMPTY,
    name: "CA with an empty subject",
    broken: async () => ({
      leaf: await leaf({}, { name: "", keys: midKeys }),
      intermediates: [await mid({ subject: "", extensions: [dnsSanCritical("ca.example.jp")] })],
    }),
    twin: async () => withMid({ extensions: [dnsSanCritical("ca.example.jp")] }),
  },
  {
    code: ChainCode.CERT_EMPTY_SUBJECT_SAN_NOT_CRITICAL,
    name: "empty subject, non-critical subjectAltName",
    broken: () => withLeaf({ subject: "", extensions: [emailSan("taro@example.jp", false)] }),
    twin: () => withLeaf({ subject: "", extensions: [emailSan("taro@example.jp", true)] }),
  },
  {
    code: ChainCode.CERT_DNS_NAME_INVALID,
    name: "dNSName with an underscore",
    broken: () => withLeaf({ extensions: [dnsSan(["bad_label.example.jp"])] }),
    twin: () => withLeaf({ extensions: [dnsSan(["good-label.example.jp"])] }),
  },
  {
    code: ChainCode.CERT_RFC822_NAME_INVALID,
    name: "rfc822Name with a display name",
    broken: () => withLeaf({ extensions: [emailSan("Taro <taro@example.jp>", false)] }),
    twin: () => withLeaf({ extensions: [emailSan("taro@example.jp", false)] }),
  },
];

function dnsSanCritical(name: string): x509.Extension {
  return new x509.SubjectAlternativeNameExtension([{ type: "dns", value: name }], true);
}

async function validate(c: TChain) {
  return validateChain({ leaf: c.leaf, intermediates: c.intermediates, trustAnchors: [rootCert], time: NOW });
}

describe("conforming-CA rules (RFC 5280), one minted certificate per rule", () => {
  it.each(rows)("$code: $name is refused, its twin passes", async (row) => {
    const [broken, twin] = await Promise.all([row.broken(), row.twin()]);
    const r = await validate(broken);
    expect(r.reason).toBeTypeOf("string");
    expect({ valid: r.valid, code: r.code }).toEqual({ valid: false, code: row.code });
    expect(await validate(twin)).toMatchObject({ valid: true, code: undefined });
  });

  it("the table covers every rule, and every code is a registered error code and a ChainCode", () => {
    const covered = new Set(rows.map((r) => r.code));
    for (const rule of [...CERTIFICATE_RULES, ...CRL_RULES]) {
      if (!CRL_RULES.includes(rule as (typeof CRL_RULES)[number])) expect(covered).toContain(rule.code);
      expect(errorCodes).toHaveProperty(rule.code);
      expect(Object.values(ChainCode)).toContain(rule.code);
      expect(rule.rfcSection).toMatch(/^\d+(\.\d+)+/);
    }
    expect(new Set([...CERTIFICATE_RULES, ...CRL_RULES].map((r) => r.code)).size).toBe(
      CERTIFICATE_RULES.length + CRL_RULES.length,
    );
  });

  it("exempts the trust anchor (RFC 5280 §6.1) but not the same faults below it", async () => {
    // A root without key identifiers and with non-critical basicConstraints: fine as an anchor.
    const loose = await makeCert({
      subject: "C=JP, O=Fixture, CN=Loose Root",
      keys: rootKeys,
      noKeyIds: true,
      extensions: [new x509.BasicConstraintsExtension(true, undefined, false)],
      keyUsage: KU.keyCertSign,
    });
    const looseRef = { name: "C=JP, O=Fixture, CN=Loose Root", keys: rootKeys };
    const l = await leaf({}, looseRef);
    expect(await validateChain({ leaf: l, trustAnchors: [loose], time: NOW })).toMatchObject({ valid: true });
    // The rules it breaks (a self-signed certificate may omit the AKI): they do not count for an anchor.
    expect(certificateViolations(parseCertificate(loose)).map((v) => v.code)).toEqual([
      ChainCode.CERT_SKI_MISSING,
      ChainCode.CERT_BASIC_CONSTRAINTS_NOT_CRITICAL,
    ]);
    // The same profile one level down, as an intermediate under the conforming root, is refused.
    const looseMid = await makeCert({
      subject: looseRef.name,
      keys: midKeys,
      issuer: root,
      noKeyIds: true,
      extensions: [new x509.BasicConstraintsExtension(true, undefined, false)],
      keyUsage: KU.keyCertSign,
    });
    const below = await leaf({}, { name: looseRef.name, keys: midKeys });
    expect(
      await validateChain({ leaf: below, intermediates: [looseMid], trustAnchors: [rootCert], time: NOW }),
    ).toMatchObject({ valid: false, code: ChainCode.CERT_AKI_MISSING });
    expect(certificateViolations(parseCertificate(looseMid)).map((v) => v.code)).toEqual([
      ChainCode.CERT_AKI_MISSING,
      ChainCode.CERT_SKI_MISSING,
      ChainCode.CERT_BASIC_CONSTRAINTS_NOT_CRITICAL,
    ]);
  });

  it("a self-signed certificate may omit the authorityKeyIdentifier; a self-issued one by another key may not", async () => {
    const selfSigned = await makeCert({ subject: "CN=Self", keys: leafKeys, noKeyIds: true });
    expect(certificateViolations(parseCertificate(selfSigned))).toEqual([]);
    const selfIssued = await makeCert({
      subject: "CN=Self",
      keys: leafKeys,
      issuer: { name: "CN=Self", keys: midKeys },
      noKeyIds: true,
    });
    expect(certificateViolations(parseCertificate(selfIssued)).map((v) => v.code)).toEqual([
      ChainCode.CERT_AKI_MISSING,
    ]);
  });

  it("the rule code reaches a CMS verification report's CERT_PATH check", async () => {
    const signer = await leaf({ noKeyIds: true, extensions: [await ski(leafKeys)] });
    const cms = await signCms({
      content: ascii("hello"),
      signerCertificate: signer,
      privateKey: leafKeys.privateKey,
      detached: false,
      signingTime: NOW,
      certificates: [await mid()],
    });
    const report = await verifyCms({ signedData: cms, trustAnchors: [rootCert], time: NOW });
    expect(report.valid).toBe(false);
    expect(report.checks.find((c) => c.code === "CERT_PATH")).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/^CERT_AKI_MISSING: /),
    });
  });

  it("dNSName and rfc822Name syntax (RFC 5280 §4.2.1.6)", () => {
    for (const good of [
      "example.jp",
      "a-b.example.jp",
      "xn--eckwd4c7c.xn--zckzah",
      "*.example.jp",
      "localhost",
      "1.example.jp",
    ]) {
      expect(isValidDnsName(good), good).toBe(true);
    }
    for (const bad of [
      "",
      " ",
      "-a.example.jp",
      "a-.example.jp",
      "a..example.jp",
      "example.jp.",
      "a b.jp",
      "*",
      "a.*.jp",
      "é.jp",
      `${"a".repeat(64)}.jp`,
    ]) {
      expect(isValidDnsName(bad), bad).toBe(false);
    }
    for (const good of [
      "taro@example.jp",
      "taro.yamada+tag@example.jp",
      '"taro yamada"@example.jp',
      "taro@[192.0.2.1]",
    ]) {
      expect(isValidMailbox(good), good).toBe(true);
    }
    for (const bad of [
      "taro",
      "@example.jp",
      "taro@",
      "taro@@example.jp",
      "<taro@example.jp>",
      "taro..y@example.jp",
      "taro@*.example.jp",
      "taro@exa_mple.jp",
    ]) {
      expect(isValidMailbox(bad), bad).toBe(false);
    }
  });
});

describe("conforming-CA rules on CRLs (RFC 5280 §5.2.3)", () => {
  let ca: SimCa;
  let cert: Uint8Array;
  beforeAll(async () => {
    const [caKeys, k] = await Promise.all([rsaKeys(), rsaKeys()]);
    ca = await createRootCa({
      purpose: "auth",
      generation: 2,
      keys: caKeys,
      notBefore: new Date("2019-01-01T00:00:00Z"),
      notAfter: new Date("2035-01-01T00:00:00Z"),
    });
    cert = await issueAuthCertificate({
      ca,
      subjectPublicKey: k.publicKey,
      serialNumber: 77n,
      municipalityCode: "13221",
      issuedAt: new Date("2025-06-01T03:00:00Z"),
      dateOfBirth: "1990-01-02",
    });
  }, 60_000);

  /** The CRL's extensions, edited, then re-signed by the CA. */
  async function crlWith(edit: (extensions: Uint8Array[]) => Uint8Array[]): Promise<Uint8Array> {
    const crl = await buildCrl({
      ca,
      entries: [],
      thisUpdate: new Date(NOW.getTime() - DAY / 2),
      nextUpdate: new Date(NOW.getTime() + DAY),
      crlNumber: 5n,
    });
    return resign(crl, ca.keys.privateKey, (e) => {
      const last = e[e.length - 1]!;
      const outer = readRoot(last, 0xa0);
      const seq = readTlv(last, outer.start, outer.end);
      const exts = children(last, seq).map((t) => tlvBytes(last, t));
      return [...e.slice(0, -1), encode(0xa0, encodeSequence(...edit(exts)))];
    });
  }
  const isCrlNumber = (ext: Uint8Array) => readOid(ext, readTlv(ext, readRoot(ext).start)) === OID.cRLNumber;
  const criticalCrlNumber = encodeSequence(
    encodeOid(OID.cRLNumber),
    Uint8Array.of(0x01, 0x01, 0xff),
    encodeOctetString(encodeInteger(5n)),
  );

  const crlRows: { code: string; edit: (x: Uint8Array[]) => Uint8Array[] }[] = [
    { code: ChainCode.CRL_NUMBER_MISSING, edit: (x) => x.filter((e) => !isCrlNumber(e)) },
    { code: ChainCode.CRL_NUMBER_CRITICAL, edit: (x) => x.map((e) => (isCrlNumber(e) ? criticalCrlNumber : e)) },
  ];
  it.each(crlRows)(
    "$code: the CRL is refused for the path, revocation and change checks; its twin passes",
    async (row) => {
      const [broken, twin] = await Promise.all([crlWith(row.edit), crlWith((x) => x)]);
      const base = { leaf: cert, trustAnchors: [ca.certificate], time: NOW };
      expect(await validateChain({ ...base, crls: [broken] })).toMatchObject({ valid: false, code: row.code });
      expect(await validateChain({ ...base, crls: [twin] })).toMatchObject({ valid: true });

      const rev = { certificate: cert, issuer: ca.certificate, now: NOW };
      const r = await checkRevocation({ ...rev, crls: { bytes: broken } });
      expect(r.status).toBe("unavailable");
      expect(r.failures?.map((f) => f.code)).toEqual([row.code]);
      expect((await checkRevocation({ ...rev, crls: { bytes: twin } })).status).toBe("good");

      const watch = { issuer: ca.certificate, watched: [77n], now: NOW };
      await expect(checkWatchedSerials({ ...watch, crl: { bytes: broken } })).rejects.toMatchObject({ code: row.code });
      await expect(checkWatchedSerials({ ...watch, crl: { bytes: twin } })).resolves.toMatchObject({ entries: 0 });
    },
  );
});

describe("an unused certificate never aborts validation", () => {
  /** An extension nobody understands, critical, whose value is not even DER. */
  const opaqueCritical = () => new x509.Extension("1.3.6.1.4.1.99999.7", true, Uint8Array.of(0xff, 0xff, 0x00));

  it("an unknown critical extension refuses only a certificate on the path, with UNKNOWN_CRITICAL_EXTENSION", async () => {
    const otherKeys = await rsaKeys();
    const strangerRoot = await makeCert({
      subject: "C=JP, O=Elsewhere, CN=Stranger Root",
      keys: otherKeys,
      ca: true,
      keyUsage: KU.keyCertSign,
      extensions: [opaqueCritical()],
    });
    const strangerMid = await makeCert({
      subject: "C=JP, O=Elsewhere, CN=Stranger CA",
      keys: otherKeys,
      issuer: { name: "C=JP, O=Elsewhere, CN=Stranger Root", keys: otherKeys },
      ca: true,
      keyUsage: KU.keyCertSign,
      extensions: [opaqueCritical()],
    });
    // A root whose basicConstraints cannot be decoded at all: left out of the anchors.
    const brokenRoot = await makeCert({
      subject: "C=JP, O=Elsewhere, CN=Broken Root",
      keys: otherKeys,
      keyUsage: KU.keyCertSign,
      extensions: [new x509.Extension(OID.basicConstraints, true, Uint8Array.of(0x04, 0x00))],
    });
    expect(() => parseCertificate(brokenRoot)).toThrow(expect.objectContaining({ code: "CERT_MALFORMED" }));
    const good = {
      leaf: await leaf(),
      intermediates: [await mid(), strangerMid],
      trustAnchors: [strangerRoot, brokenRoot, rootCert],
    };
    expect(await validateChain({ ...good, time: NOW })).toMatchObject({ valid: true });

    // On the path: the leaf, or the intermediate.
    const badLeaf = await leaf({ extensions: [opaqueCritical()] });
    expect(await validateChain({ ...good, leaf: badLeaf, time: NOW })).toMatchObject({
      valid: false,
      code: "UNKNOWN_CRITICAL_EXTENSION",
    });
    const badMid = await mid({ extensions: [opaqueCritical()] });
    expect(await validateChain({ ...good, intermediates: [badMid], time: NOW })).toMatchObject({
      valid: false,
      code: "UNKNOWN_CRITICAL_EXTENSION",
    });

    // The same pool inside a CMS SignedData and as the verifier's anchors.
    const cms = await signCms({
      content: ascii("hello"),
      signerCertificate: good.leaf,
      privateKey: leafKeys.privateKey,
      detached: false,
      signingTime: NOW,
      certificates: [await mid(), strangerMid, brokenRoot],
    });
    const report = await verifyCms({ signedData: cms, trustAnchors: [brokenRoot, strangerRoot, rootCert], time: NOW });
    expect(report.checks.find((c) => c.code === "CERT_PATH")).toMatchObject({ ok: true });
  });
});
