import * as x509 from "@peculiar/x509";
import { beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors/app-error";
import { type SimCa, buildCrl, createRootCa, issueAuthCertificate, issueSignCertificate } from "../../jlis-sim/ca/ca";
import { validateChain } from "./chain";
import { OID } from "./oids";
import {
  DAY,
  dnsSan,
  ecKeys,
  makeCert,
  NOW,
  nameConstraintsExtension,
  pssKeys,
  rsaKeys,
  unknownCriticalExtension,
} from "../../test/jpki/fixtures";

const KU = x509.KeyUsageFlags;

type World = {
  auth1: SimCa;
  auth2: SimCa;
  sign1: SimCa;
  testAuth: SimCa;
  authGen1: Uint8Array;
  authGen2: Uint8Array;
  authShortRoot: Uint8Array;
  signGen1: Uint8Array;
  testAuthCert: Uint8Array;
  custom: Record<string, { leaf: Uint8Array; intermediates: Uint8Array[]; anchors: Uint8Array[] }>;
  caKeys: CryptoKeyPair;
  leafKeys: CryptoKeyPair;
};

let w: World;

beforeAll(async () => {
  const [k1, k2, k3, k4, leafKeys, caKeys, midKeys] = await Promise.all([
    rsaKeys(),
    rsaKeys(),
    rsaKeys(),
    rsaKeys(),
    rsaKeys(),
    rsaKeys(),
    rsaKeys(),
  ]);
  const auth1 = await createRootCa({
    purpose: "auth",
    generation: 1,
    notBefore: new Date("2015-10-20T00:00:00Z"),
    notAfter: new Date("2026-10-19T14:59:59Z"),
    keys: k1,
  });
  const auth2 = await createRootCa({
    purpose: "auth",
    generation: 2,
    notBefore: new Date("2019-01-01T00:00:00Z"),
    notAfter: new Date("2035-01-01T00:00:00Z"),
    keys: k2,
  });
  const sign1 = await createRootCa({
    purpose: "sign",
    generation: 1,
    notBefore: new Date("2015-10-20T00:00:00Z"),
    notAfter: new Date("2035-01-01T00:00:00Z"),
    keys: k3,
  });
  const testAuth = await createRootCa({
    purpose: "auth",
    generation: 1,
    hierarchy: "test",
    notBefore: new Date("2015-10-20T00:00:00Z"),
    notAfter: new Date("2035-01-01T00:00:00Z"),
    keys: k4,
  });
  const issuedAt = new Date("2025-06-01T03:00:00Z");
  const auth = (ca: SimCa, serial: bigint, notAfter?: Date) =>
    issueAuthCertificate({
      ca,
      subjectPublicKey: leafKeys.publicKey,
      serialNumber: serial,
      municipalityCode: "13221",
      issuedAt,
      dateOfBirth: "1990-01-02",
      notAfter,
    });
  const authGen1 = await auth(auth1, 101n);
  const authGen2 = await auth(auth2, 102n);
  const authShortRoot = await auth(auth1, 103n, new Date("2030-01-01T00:00:00Z"));
  const testAuthCert = await auth(testAuth, 104n);
  const signGen1 = await issueSignCertificate({
    ca: sign1,
    subjectPublicKey: leafKeys.publicKey,
    serialNumber: 201n,
    facts: {
      name: "山田\u3000太郎",
      address: "東京都清瀬市中里一丁目1番地",
      dateOfBirth: "1990-01-02",
      gender: "male",
    },
    prefectureRomaji: "Tokyo-to",
    municipalityRomaji: "Kiyose-shi",
    municipalityCode: "13221",
    issuedAt,
  });

  // Custom hierarchies built with @peculiar/x509.
  const root = { name: "C=JP, O=Fixture, CN=Root", keys: caKeys };
  const rootCert = await makeCert({
    subject: root.name,
    keys: caKeys,
    ca: true,
    keyUsage: KU.keyCertSign | KU.cRLSign,
  });
  const mid = (o: {
    ca?: boolean;
    keyUsage?: number;
    pathLen?: number;
    policies?: string[];
    extensions?: x509.Extension[];
  }) => makeCert({ subject: "C=JP, O=Fixture, CN=Intermediate", keys: midKeys, issuer: root, ...o });
  const midRef = { name: "C=JP, O=Fixture, CN=Intermediate", keys: midKeys };
  const leafUnder = (issuer = midRef, extra: Partial<Parameters<typeof makeCert>[0]> = {}) =>
    makeCert({ subject: "C=JP, O=Fixture, CN=Leaf", keys: leafKeys, issuer, keyUsage: KU.digitalSignature, ...extra });

  const goodMid = await mid({ ca: true, keyUsage: KU.keyCertSign | KU.cRLSign });
  const custom: World["custom"] = {
    good: { leaf: await leafUnder(), intermediates: [goodMid], anchors: [rootCert] },
    midNoKeyCertSign: {
      leaf: await leafUnder(),
      intermediates: [await mid({ ca: true, keyUsage: KU.digitalSignature })],
      anchors: [rootCert],
    },
    midNotCa: {
      leaf: await leafUnder(),
      intermediates: [await mid({ ca: false, keyUsage: KU.keyCertSign })],
      anchors: [rootCert],
    },
    unknownCritical: {
      leaf: await leafUnder(midRef, { extensions: [unknownCriticalExtension()] }),
      intermediates: [goodMid],
      anchors: [rootCert],
    },
  };
  // pathLen 0 on the intermediate, then a sub-CA below it.
  const subRef = { name: "C=JP, O=Fixture, CN=Sub", keys: k4 };
  custom.pathLen = {
    leaf: await leafUnder(subRef),
    intermediates: [
      await mid({ ca: true, keyUsage: KU.keyCertSign, pathLen: 0 }),
      await makeCert({ subject: subRef.name, keys: k4, issuer: midRef, ca: true, keyUsage: KU.keyCertSign }),
    ],
    anchors: [rootCert],
  };
  // Name constraints on the intermediate.
  const ncMid = await mid({
    ca: true,
    keyUsage: KU.keyCertSign,
    extensions: [nameConstraintsExtension({ permittedDns: ["example.jp"], excludedDns: ["bad.example.jp"] })],
  });
  custom.ncInside = {
    leaf: await leafUnder(midRef, { extensions: [dnsSan(["www.example.jp"])] }),
    intermediates: [ncMid],
    anchors: [rootCert],
  };
  custom.ncOutside = {
    leaf: await leafUnder(midRef, { extensions: [dnsSan(["www.example.com"])] }),
    intermediates: [ncMid],
    anchors: [rootCert],
  };
  custom.ncExcluded = {
    leaf: await leafUnder(midRef, { extensions: [dnsSan(["x.bad.example.jp"])] }),
    intermediates: [ncMid],
    anchors: [rootCert],
  };
  const dnMid = await mid({
    ca: true,
    keyUsage: KU.keyCertSign,
    extensions: [nameConstraintsExtension({ permittedDn: ["C=JP, O=Other"] })],
  });
  custom.ncDirectory = { leaf: await leafUnder(), intermediates: [dnMid], anchors: [rootCert] };
  // requireExplicitPolicy 0 on the intermediate: the leaf must carry a policy (RFC 5280 §4.2.1.11).
  const explicitMid = await mid({
    ca: true,
    keyUsage: KU.keyCertSign,
    policies: [OID.anyPolicy],
    extensions: [new x509.Extension(OID.policyConstraints, true, Uint8Array.of(0x30, 0x03, 0x80, 0x01, 0x00))],
  });
  custom.explicitNoPolicy = { leaf: await leafUnder(), intermediates: [explicitMid], anchors: [rootCert] };
  custom.explicitWithPolicy = {
    leaf: await leafUnder(midRef, { policies: ["1.2.3.4"] }),
    intermediates: [explicitMid],
    anchors: [rootCert],
  };
  // inhibitAnyPolicy 0 on the intermediate: the leaf's anyPolicy no longer counts.
  const inhibitMid = await mid({
    ca: true,
    keyUsage: KU.keyCertSign,
    policies: [OID.anyPolicy],
    extensions: [
      new x509.Extension(OID.policyConstraints, true, Uint8Array.of(0x30, 0x03, 0x80, 0x01, 0x00)),
      new x509.Extension(OID.inhibitAnyPolicy, true, Uint8Array.of(0x02, 0x01, 0x00)),
    ],
  });
  custom.inhibitAny = {
    leaf: await leafUnder(midRef, { policies: [OID.anyPolicy] }),
    intermediates: [inhibitMid],
    anchors: [rootCert],
  };
  // RSA-PSS and ECDSA hierarchies.
  const [pss, pssLeaf, ec, ecLeaf] = await Promise.all([pssKeys(), pssKeys(), ecKeys("P-256"), ecKeys("P-384")]);
  const pssRoot = { name: "CN=PSS Root", keys: pss };
  custom.pss = {
    leaf: await makeCert({ subject: "CN=PSS Leaf", keys: pssLeaf, issuer: pssRoot, keyUsage: KU.digitalSignature }),
    intermediates: [],
    anchors: [await makeCert({ subject: pssRoot.name, keys: pss, ca: true, keyUsage: KU.keyCertSign })],
  };
  const ecRoot = { name: "CN=EC Root", keys: ec };
  custom.ecdsa = {
    leaf: await makeCert({ subject: "CN=EC Leaf", keys: ecLeaf, issuer: ecRoot, keyUsage: KU.digitalSignature }),
    intermediates: [],
    anchors: [await makeCert({ subject: ecRoot.name, keys: ec, ca: true, keyUsage: KU.keyCertSign })],
  };
  w = {
    auth1,
    auth2,
    sign1,
    testAuth,
    authGen1,
    authGen2,
    authShortRoot,
    signGen1,
    testAuthCert,
    custom,
    caKeys,
    leafKeys,
  };
}, 60_000);

function tamper(der: Uint8Array): Uint8Array {
  const copy = der.slice();
  copy[copy.length - 5]! ^= 0x01;
  return copy;
}

describe("validateChain (RFC 5280 §6.1)", () => {
  const jpkiRows: {
    name: string;
    leaf: () => Uint8Array;
    anchors: () => Uint8Array[];
    time?: Date;
    requiredPolicies?: string[];
    code?: string;
  }[] = [
    {
      name: "auth cert of generation 2 with both generations trusted",
      leaf: () => w.authGen2,
      anchors: () => [w.auth1.certificate, w.auth2.certificate],
    },
    {
      name: "auth cert of generation 1",
      leaf: () => w.authGen1,
      anchors: () => [w.auth2.certificate, w.auth1.certificate],
    },
    {
      name: "other-generation root (same DN, other key)",
      leaf: () => w.authGen2,
      anchors: () => [w.auth1.certificate],
      code: "CERT_UNTRUSTED",
    },
    {
      name: "wrong CA (sign root for an auth cert)",
      leaf: () => w.authGen1,
      anchors: () => [w.sign1.certificate],
      code: "CERT_UNTRUSTED",
    },
    {
      name: "test-hierarchy cert against production roots",
      leaf: () => w.testAuthCert,
      anchors: () => [w.auth1.certificate, w.auth2.certificate],
      code: "CERT_UNTRUSTED",
    },
    {
      name: "expired leaf",
      leaf: () => w.authGen2,
      anchors: () => [w.auth2.certificate],
      time: new Date("2031-01-01T00:00:00Z"),
      code: "CERT_EXPIRED",
    },
    {
      name: "not yet valid leaf",
      leaf: () => w.authGen2,
      anchors: () => [w.auth2.certificate],
      time: new Date("2025-05-01T00:00:00Z"),
      code: "CERT_NOT_YET_VALID",
    },
    {
      name: "expired trust anchor",
      leaf: () => w.authShortRoot,
      anchors: () => [w.auth1.certificate],
      time: new Date("2027-01-01T00:00:00Z"),
      code: "CERT_EXPIRED",
    },
    {
      name: "bad signature",
      leaf: () => tamper(w.authGen2),
      anchors: () => [w.auth2.certificate],
      code: "SIGNATURE_INVALID",
    },
    {
      name: "required auth policy present",
      leaf: () => w.authGen2,
      anchors: () => [w.auth2.certificate],
      requiredPolicies: [OID.jpkiAuthPolicy],
    },
    {
      name: "signing policy required of an auth cert",
      leaf: () => w.authGen2,
      anchors: () => [w.auth2.certificate],
      requiredPolicies: [OID.jpkiSignPolicy],
      code: "POLICY_NOT_ACCEPTED",
    },
    {
      name: "sign cert with its policy",
      leaf: () => w.signGen1,
      anchors: () => [w.sign1.certificate],
      requiredPolicies: [OID.jpkiSignPolicy],
    },
  ];
  it.each(jpkiRows)("JPKI: $name", async (row) => {
    const r = await validateChain({
      leaf: row.leaf(),
      trustAnchors: row.anchors(),
      time: row.time ?? NOW,
      requiredPolicies: row.requiredPolicies,
    });
    expect(r.code).toBe(row.code);
    expect(r.valid).toBe(row.code === undefined);
    if (r.valid) expect(r.path).toHaveLength(2);
  });

  const customRows: { name: string; key: string; code?: string }[] = [
    { name: "three-level RSA chain", key: "good" },
    { name: "intermediate without keyCertSign", key: "midNoKeyCertSign", code: "CA_KEY_USAGE" },
    { name: "intermediate that is not a CA", key: "midNotCa", code: "CA_BASIC_CONSTRAINTS" },
    { name: "unknown critical extension", key: "unknownCritical", code: "UNKNOWN_CRITICAL_EXTENSION" },
    { name: "pathLenConstraint 0 with a sub-CA", key: "pathLen", code: "PATH_LENGTH_EXCEEDED" },
    { name: "dNSName inside permitted subtree", key: "ncInside" },
    { name: "dNSName outside permitted subtree", key: "ncOutside", code: "NAME_CONSTRAINTS_VIOLATED" },
    { name: "dNSName in excluded subtree", key: "ncExcluded", code: "NAME_CONSTRAINTS_VIOLATED" },
    { name: "subject DN outside permitted directoryName", key: "ncDirectory", code: "NAME_CONSTRAINTS_VIOLATED" },
    { name: "requireExplicitPolicy 0, leaf without policy", key: "explicitNoPolicy", code: "POLICY_NOT_ACCEPTED" },
    { name: "requireExplicitPolicy 0, leaf with a policy", key: "explicitWithPolicy" },
    { name: "inhibitAnyPolicy 0, leaf asserting only anyPolicy", key: "inhibitAny", code: "POLICY_NOT_ACCEPTED" },
    { name: "RSA-PSS chain", key: "pss" },
    { name: "ECDSA P-256 root, P-384 leaf", key: "ecdsa" },
  ];
  it.each(customRows)("generic: $name", async (row) => {
    const c = w.custom[row.key]!;
    const r = await validateChain({ leaf: c.leaf, intermediates: c.intermediates, trustAnchors: c.anchors, time: NOW });
    expect(r.code).toBe(row.code);
    expect(r.valid).toBe(row.code === undefined);
  });

  it("takes CRLs into account: revoked, stale, wrongly signed, other partition", async () => {
    const serial = 102n;
    const entries = [
      { serialNumber: serial, revokedAt: new Date(NOW.getTime() - DAY), reason: "keyCompromise" as const },
    ];
    const crl = (ca: SimCa, thisUpdate: Date, nextUpdate: Date, list = entries) =>
      buildCrl({ ca, entries: list, thisUpdate, nextUpdate, crlNumber: 1n });
    const current = await crl(w.auth2, new Date(NOW.getTime() - DAY / 2), new Date(NOW.getTime() + DAY));
    const stale = await crl(w.auth2, new Date(NOW.getTime() - 3 * DAY), new Date(NOW.getTime() - 2 * DAY));
    // Signed by generation 1's key under the shared DN: must not count for a generation-2 cert.
    const wrongKey = await crl(w.auth1, new Date(NOW.getTime() - DAY / 2), new Date(NOW.getTime() + DAY));
    const empty = await crl(w.auth2, new Date(NOW.getTime() - DAY / 2), new Date(NOW.getTime() + DAY), []);
    const base = { leaf: w.authGen2, trustAnchors: [w.auth2.certificate], time: NOW };
    expect((await validateChain({ ...base, crls: [current] })).code).toBe("CERT_REVOKED");
    expect((await validateChain({ ...base, crls: [stale] })).code).toBe("CRL_STALE");
    expect((await validateChain({ ...base, crls: [wrongKey] })).code).toBe("CRL_NOT_FOUND");
    expect(await validateChain({ ...base, crls: [empty] })).toMatchObject({ valid: true });
    // Revocation dated after the validation time does not apply then.
    const before = new Date(NOW.getTime() - 2 * DAY);
    const early = await crl(w.auth2, new Date(before.getTime() - DAY / 2), new Date(before.getTime() + DAY));
    expect(await validateChain({ ...base, time: before, crls: [early] })).toMatchObject({ valid: true });
  });

  it("ends quickly on a cycle of cross-certified CAs", async () => {
    const [a, b] = [w.caKeys, w.leafKeys];
    const A = { name: "CN=Cycle A", keys: a };
    const B = { name: "CN=Cycle B", keys: b };
    const aByB = await makeCert({ subject: A.name, keys: a, issuer: B, ca: true, keyUsage: KU.keyCertSign });
    const bByA = await makeCert({ subject: B.name, keys: b, issuer: A, ca: true, keyUsage: KU.keyCertSign });
    const leaf = await makeCert({ subject: "CN=Cycle Leaf", keys: b, issuer: A });
    const start = performance.now();
    const r = await validateChain({
      leaf,
      intermediates: [aByB, bByA],
      trustAnchors: [w.auth1.certificate],
      time: NOW,
    });
    expect(r.valid).toBe(false);
    expect(["CERT_UNTRUSTED", "PATH_SEARCH_LIMIT"]).toContain(r.code);
    expect(performance.now() - start).toBeLessThan(5000);
  });

  it("ends quickly on a wide mesh of self-issued certificates under one key", async () => {
    const M = { name: "CN=Mesh", keys: w.caKeys };
    const mesh = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        makeCert({
          subject: M.name,
          keys: w.caKeys,
          issuer: M,
          ca: true,
          keyUsage: KU.keyCertSign,
          serial: `0${i + 10}`,
          noKeyIds: true,
        }),
      ),
    );
    // The leaf names its issuer's key (a conforming CA always does, RFC 5280 §4.2.1.1), but the
    // mesh certificates carry no subject key id, so the key id narrows nothing.
    const leaf = await makeCert({ subject: "CN=Mesh Leaf", keys: w.leafKeys, issuer: M });
    const start = performance.now();
    const r = await validateChain({ leaf, intermediates: mesh, trustAnchors: [w.auth1.certificate], time: NOW });
    expect(r).toMatchObject({ valid: false, code: "PATH_SEARCH_LIMIT" });
    // The budget bounds the work whatever the graph: a few dozen signature checks.
    expect(performance.now() - start).toBeLessThan(5000);
    // With the mesh's own root trusted, the search finds a path.
    const root = await makeCert({
      subject: M.name,
      keys: w.caKeys,
      ca: true,
      keyUsage: KU.keyCertSign,
      noKeyIds: true,
      serial: "7f",
    });
    expect(await validateChain({ leaf, intermediates: mesh, trustAnchors: [root], time: NOW })).toMatchObject({
      valid: true,
    });
  });

  it("an unparseable certificate in the pool of intermediates is left out, never aborts a path that does not use it", async () => {
    const good = await validateChain({ leaf: w.authGen1, trustAnchors: [w.auth1.certificate], time: NOW });
    expect(good.valid).toBe(true);
    const broken = w.authGen2.slice();
    broken[broken.length - 300]! ^= 0xff;
    const r = await validateChain({
      leaf: w.authGen1,
      intermediates: [Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01), w.authGen1.subarray(0, 120), broken],
      trustAnchors: [w.auth1.certificate],
      time: NOW,
    });
    expect(r.valid).toBe(true);
  });

  it("refuses malformed input with typed errors", async () => {
    await expect(
      validateChain({ leaf: Uint8Array.of(1, 2, 3), trustAnchors: [w.auth1.certificate], time: NOW }),
    ).rejects.toBeInstanceOf(AppError);
    await expect(
      validateChain({ leaf: w.authGen1.subarray(0, 100), trustAnchors: [w.auth1.certificate], time: NOW }),
    ).rejects.toMatchObject({ code: "DER_MALFORMED" });
    await expect(validateChain({ leaf: w.authGen1, trustAnchors: [], time: NOW })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
    });
    await expect(
      validateChain({ leaf: new Uint8Array(100_000), trustAnchors: [w.auth1.certificate], time: NOW }),
    ).rejects.toMatchObject({ code: "INPUT_TOO_LARGE" });
  });
});
