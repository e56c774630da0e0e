import * as x509 from "@peculiar/x509";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCertificate, type TCertificate } from "./certificate";
import { OID } from "./oids";
import { REVOCATION_REASONS, reasonCode } from "./revocation-reason";
import { checkRevocation, RevocationCache } from "./revocation";
import {
  buildCrl,
  createRootCa,
  issueAuthCertificate,
  issueOcspResponderCertificate,
  issueSignCertificate,
  type SimCa,
} from "../../jlis-sim/ca/ca";
import { createJlisHandler } from "../../jlis-sim/http/http";
import { SimulatedJlis } from "../../jlis-sim/jlis";
import { startJlisServer } from "../../jlis-sim/http/server";
import { MemoryJlisStore } from "../../jlis-sim/store";
import {
  buildOcspResponse,
  DAY,
  makeCert,
  NOW,
  ocspErrorResponse,
  rsaKeys,
  startOcspServer,
  type TOcspAnswer,
} from "../../test/jpki/fixtures";

/** What the test responder does for the next request. */
type TPlan = (req: { serial: bigint; nonce?: Uint8Array }) => Promise<{ status?: number; body: Uint8Array }>;

let ca: SimCa;
let otherCa: SimCa;
let caCert: TCertificate;
let leaf: Uint8Array;
let responder: { cert: TCertificate; der: Uint8Array; key: CryptoKey };
let noEkuResponder: { cert: TCertificate; der: Uint8Array; key: CryptoKey };
let nonconformingResponder: { cert: TCertificate; der: Uint8Array; key: CryptoKey };
let strangerKeys: CryptoKeyPair;
let server: Awaited<ReturnType<typeof startOcspServer>>;
let plan: TPlan;

beforeAll(async () => {
  const [k1, k2, leafKeys, rKeys, sKeys] = await Promise.all([rsaKeys(), rsaKeys(), rsaKeys(), rsaKeys(), rsaKeys()]);
  strangerKeys = sKeys;
  const validity = { notBefore: new Date("2020-01-01T00:00:00Z"), notAfter: new Date("2035-01-01T00:00:00Z") };
  ca = await createRootCa({ purpose: "auth", generation: 1, keys: k1, ...validity });
  otherCa = await createRootCa({ purpose: "auth", generation: 2, keys: k2, ...validity });
  caCert = parseCertificate(ca.certificate);
  leaf = await issueAuthCertificate({
    ca,
    subjectPublicKey: leafKeys.publicKey,
    serialNumber: 0x1234n,
    municipalityCode: "13221",
    issuedAt: new Date("2025-06-01T00:00:00Z"),
    dateOfBirth: "1990-01-02",
  });
  const rDer = await issueOcspResponderCertificate({
    ca,
    subjectPublicKey: rKeys.publicKey,
    serialNumber: 0x99n,
    ...validity,
  });
  responder = { der: rDer, cert: parseCertificate(rDer), key: rKeys.privateKey };
  const caRef = { name: caCert.subject.text, keys: k1 };
  const nDerIssuerName =
    "C=JP, O=JPKI, OU=JPKI for user authentication, OU=Japan Agency for Local Authority Information Systems";
  // Issued by the CA but without id-kp-OCSPSigning: must not be accepted as a responder.
  const nDer = await makeCert({
    subject: "C=JP, O=JPKI, CN=Not a responder",
    keys: sKeys,
    issuer: { ...caRef, name: nDerIssuerName },
    keyUsage: x509.KeyUsageFlags.digitalSignature,
  });
  noEkuResponder = { der: nDer, cert: parseCertificate(nDer), key: sKeys.privateKey };
  // With ocspSigning, but its authorityKeyIdentifier is critical (RFC 5280 §4.2.1.1, conformance.ts).
  const caSki = await x509.SubjectKeyIdentifierExtension.create(k1.publicKey);
  const cDer = await makeCert({
    subject: "C=JP, O=JPKI, CN=Nonconforming responder",
    keys: sKeys,
    issuer: { ...caRef, name: nDerIssuerName },
    keyUsage: x509.KeyUsageFlags.digitalSignature,
    eku: [OID.kpOcspSigning],
    noKeyIds: true,
    extensions: [
      await x509.SubjectKeyIdentifierExtension.create(sKeys.publicKey),
      new x509.AuthorityKeyIdentifierExtension(caSki.keyId, true),
    ],
  });
  nonconformingResponder = { der: cDer, cert: parseCertificate(cDer), key: sKeys.privateKey };
  server = await startOcspServer((req) => plan(req));
}, 60_000);

afterAll(async () => {
  await server?.close();
});

function answer(over: Partial<TOcspAnswer> = {}): TPlan {
  return async (req) => ({
    body: await buildOcspResponse({
      signerKey: ca.keys.privateKey,
      signerCert: caCert,
      status: "good",
      thisUpdate: new Date(NOW.getTime() - 60_000),
      nextUpdate: new Date(NOW.getTime() + 10 * 60_000),
      nonce: req.nonce,
      serial: req.serial,
      issuer: caCert,
      ...over,
    }),
  });
}

describe("checkRevocation over OCSP (RFC 6960), real HTTP", () => {
  const base = () => ({ certificate: leaf, issuer: ca.certificate, now: NOW, ocsp: { url: server.url } });

  const rows: { name: string; plan: () => TPlan; status: string; code?: string; reason?: string }[] = [
    { name: "good, signed by the CA", plan: () => answer(), status: "good" },
    { name: "good, responderID byKey", plan: () => answer({ byKey: true }), status: "good" },
    {
      name: "good, delegated responder with ocspSigning",
      plan: () => answer({ signerKey: responder.key, signerCert: responder.cert, certs: [responder.der] }),
      status: "good",
    },
    { name: "unknown", plan: () => answer({ status: "unknown" }), status: "unknown" },
    ...REVOCATION_REASONS.map((reason) => ({ reason, code: reasonCode(reason) })).map((r) => ({
      name: `revoked: ${r.reason}`,
      plan: () => answer({ status: "revoked", reason: r.code, revokedAt: new Date(NOW.getTime() - DAY) }),
      status: "revoked",
      reason: r.reason,
    })),
    {
      name: "wrong responder: CA-issued without ocspSigning",
      plan: () =>
        answer({ signerKey: noEkuResponder.key, signerCert: noEkuResponder.cert, certs: [noEkuResponder.der] }),
      status: "unavailable",
      code: "OCSP_RESPONDER_UNAUTHORIZED",
    },
    {
      name: "wrong responder: ocspSigning, but not a certificate a conforming CA issues",
      plan: () =>
        answer({
          signerKey: nonconformingResponder.key,
          signerCert: nonconformingResponder.cert,
          certs: [nonconformingResponder.der],
        }),
      status: "unavailable",
      code: "OCSP_RESPONDER_UNAUTHORIZED",
    },
    {
      name: "wrong responder: another CA generation with the same DN",
      plan: () =>
        answer({ signerKey: otherCa.keys.privateKey, signerCert: parseCertificate(otherCa.certificate), byKey: true }),
      status: "unavailable",
      code: "OCSP_RESPONDER_UNAUTHORIZED",
    },
    {
      name: "bad signature (CA's name, stranger's key)",
      plan: () => answer({ signerKey: strangerKeys.privateKey }),
      status: "unavailable",
      code: "OCSP_SIGNATURE_INVALID",
    },
    {
      name: "bad nonce",
      plan: () => answer({ nonce: new Uint8Array(32).fill(7) }),
      status: "unavailable",
      code: "OCSP_NONCE_MISMATCH",
    },
    {
      name: "missing nonce",
      plan: () => async (req) => answer()({ serial: req.serial }),
      status: "unavailable",
      code: "OCSP_NONCE_MISSING",
    },
    {
      name: "stale: thisUpdate a day old",
      plan: () => answer({ thisUpdate: new Date(NOW.getTime() - DAY), nextUpdate: new Date(NOW.getTime() + DAY) }),
      status: "unavailable",
      code: "OCSP_STALE",
    },
    {
      name: "stale: nextUpdate passed",
      plan: () =>
        answer({ thisUpdate: new Date(NOW.getTime() - 14 * 60_000), nextUpdate: new Date(NOW.getTime() - 9 * 60_000) }),
      status: "unavailable",
      code: "OCSP_STALE",
    },
    {
      name: "thisUpdate in the future",
      plan: () => answer({ thisUpdate: new Date(NOW.getTime() + DAY) }),
      status: "unavailable",
      code: "OCSP_STALE",
    },
    {
      name: "answer for another serial",
      plan: () => answer({ serial: 0x4321n }),
      status: "unavailable",
      code: "OCSP_CERT_ID_MISMATCH",
    },
    {
      name: "tryLater",
      plan: () => async () => ({ body: ocspErrorResponse(3) }),
      status: "unavailable",
      code: "OCSP_RESPONSE_STATUS",
    },
    {
      name: "HTTP 500",
      plan: () => async () => ({ status: 500, body: new Uint8Array() }),
      status: "unavailable",
      code: "OCSP_HTTP_ERROR",
    },
    {
      name: "oversized body (2 MB)",
      plan: () => async () => ({ body: new Uint8Array(2 * 1024 * 1024) }),
      status: "unavailable",
      code: "OCSP_MALFORMED",
    },
    {
      name: "garbage body",
      plan: () => async () => ({ body: Uint8Array.of(0x30, 0x03, 1, 2) }),
      status: "unavailable",
      code: "OCSP_MALFORMED",
    },
  ];

  it.each(rows)("$name", async (row) => {
    plan = row.plan();
    const r = await checkRevocation(base());
    expect(r.status).toBe(row.status);
    expect(r.source).toBe("ocsp");
    if (row.reason) expect(r.reason).toBe(row.reason);
    if (row.code) expect(r.failures?.map((f) => f.code)).toEqual([row.code]);
  });

  it("is unavailable, never good, when the responder is down", async () => {
    const down = await startOcspServer(async () => ({ body: new Uint8Array() }));
    const url = down.url;
    await down.close();
    const r = await checkRevocation({ ...base(), ocsp: { url, timeoutMs: 2000 } });
    expect(r).toMatchObject({ status: "unavailable", failures: [{ source: "ocsp", code: "OCSP_UNREACHABLE" }] });
  });
});

describe("CRL fallback and cache", () => {
  const crl = (o: { signer?: SimCa; thisUpdate?: Date; nextUpdate?: Date; revoked?: boolean } = {}) =>
    buildCrl({
      ca: o.signer ?? ca,
      entries:
        o.revoked === false
          ? []
          : [{ serialNumber: 0x1234n, revokedAt: new Date(NOW.getTime() - DAY), reason: "superseded" }],
      thisUpdate: o.thisUpdate ?? new Date(NOW.getTime() - DAY / 2),
      nextUpdate: o.nextUpdate ?? new Date(NOW.getTime() + DAY / 2),
      crlNumber: 7n,
    });
  const downUrl = "http://127.0.0.1:9/ocsp";

  it("falls back to a CRL when OCSP is down", async () => {
    const r = await checkRevocation({
      certificate: leaf,
      issuer: ca.certificate,
      now: NOW,
      ocsp: { url: downUrl, timeoutMs: 2000 },
      crls: { bytes: await crl() },
    });
    expect(r).toMatchObject({ status: "revoked", reason: "superseded", source: "crl" });
    expect(r.failures?.[0]?.code).toBe("OCSP_UNREACHABLE");
  });

  const crlRows: { name: string; make: () => Promise<Uint8Array>; status: string; code?: string }[] = [
    { name: "current CRL without the serial", make: () => crl({ revoked: false }), status: "good" },
    {
      name: "stale CRL",
      make: () => crl({ thisUpdate: new Date(NOW.getTime() - 3 * DAY), nextUpdate: new Date(NOW.getTime() - DAY) }),
      status: "unavailable",
      code: "CRL_STALE",
    },
    {
      name: "CRL signed by another generation",
      make: () => crl({ signer: otherCa }),
      status: "unavailable",
      code: "CRL_SIGNATURE_INVALID",
    },
    {
      name: "garbage CRL",
      make: async () => Uint8Array.of(0x30, 0x80, 0x00),
      status: "unavailable",
      code: "CRL_MALFORMED",
    },
  ];
  it.each(crlRows)("CRL only: $name", async (row) => {
    const r = await checkRevocation({
      certificate: leaf,
      issuer: ca.certificate,
      now: NOW,
      crls: { bytes: await row.make() },
    });
    expect(r.status).toBe(row.status);
    if (row.code) expect(r.failures?.map((f) => f.code)).toEqual([row.code]);
  });

  it("caches definite answers until nextUpdate and never caches unavailable", async () => {
    const cache = new RevocationCache();
    plan = answer();
    const opts = { certificate: leaf, issuer: ca.certificate, ocsp: { url: server.url }, cache };
    const before = server.requests;
    expect((await checkRevocation({ ...opts, now: NOW })).source).toBe("ocsp");
    expect((await checkRevocation({ ...opts, now: new Date(NOW.getTime() + 60_000) })).source).toBe("cache");
    expect(server.requests).toBe(before + 1);
    // Past nextUpdate (+10 min) and the skew (5 min): asks again; the same old answer is now stale.
    const later = new Date(NOW.getTime() + 20 * 60_000);
    expect(await checkRevocation({ ...opts, now: later })).toMatchObject({ status: "unavailable", source: "ocsp" });
    plan = async () => ({ status: 503, body: new Uint8Array() });
    expect((await checkRevocation({ ...opts, now: later })).status).toBe("unavailable");
    expect(server.requests).toBe(before + 3);
  });
});

describe("against the simulated J-LIS over HTTP", () => {
  let jlis: SimulatedJlis;
  let running: Awaited<ReturnType<typeof startJlisServer>>;
  let headers: Record<string, string>;
  let clock = new Date("2026-04-01T00:00:00Z");

  beforeAll(async () => {
    const pool = await Promise.all(Array.from({ length: 8 }, () => rsaKeys()));
    let next = 0;
    jlis = await SimulatedJlis.initialize(new MemoryJlisStore(), {
      clock: () => clock,
      keyPool: pool.slice(0, 4),
      generations: 2,
      testHierarchy: false,
      generateKeyPair: async () => pool[4 + (next++ % 4)]!,
    });
    const secret = await jlis.registerVerifier("ichimai-test");
    headers = { authorization: `Basic ${Buffer.from(`ichimai-test:${secret}`).toString("base64")}` };
    running = await startJlisServer(
      createJlisHandler(jlis, { verifierCredentials: (c) => jlis.checkVerifier(c.clientId, c.secret) }),
    );
  }, 60_000);

  afterAll(async () => {
    await running?.close();
  });

  it("sees each lifecycle revocation within one OCSP query, and the CRL partition agrees", async () => {
    const municipality = { code: "13221", prefectureRomaji: "Tokyo-to", municipalityRomaji: "Kiyose-shi" };
    const facts = {
      name: "山田\u3000花子",
      address: "東京都清瀬市中里一丁目1番地",
      dateOfBirth: "1985-05-05",
      gender: "female" as const,
    };
    const card = await jlis.issueCard({ residentRef: "r-1", facts, municipality });
    const ocsp = { url: `${running.url}/jlis/ocsp`, headers };
    const status = (c: { certificate: Uint8Array; caCertificate: Uint8Array }) =>
      checkRevocation({ certificate: c.certificate, issuer: c.caCertificate, now: clock, ocsp });
    expect(await status(card.auth)).toMatchObject({ status: "good", source: "ocsp" });
    expect(await status(card.sign!)).toMatchObject({ status: "good" });

    clock = new Date(clock.getTime() + 60_000);
    await jlis.changeFacts({ residentRef: "r-1", facts: { ...facts, address: "東京都清瀬市元町一丁目2番地" } });
    expect(await status(card.sign!)).toMatchObject({ status: "revoked", reason: "affiliationChanged" });
    expect(await status(card.auth)).toMatchObject({ status: "good" });
    // The municipality partition (the sign cert's DirName DP) says the same, OCSP down.
    const crlResult = await checkRevocation({
      certificate: card.sign!.certificate,
      issuer: card.sign!.caCertificate,
      now: clock,
      ocsp: { url: "http://127.0.0.1:9/ocsp", timeoutMs: 2000 },
      crls: { url: `${running.url}/jlis/crl/sign/13221.crl`, headers },
    });
    expect(crlResult).toMatchObject({ status: "revoked", reason: "affiliationChanged", source: "crl" });

    clock = new Date(clock.getTime() + 60_000);
    const renewed = await jlis.renew({ residentRef: "r-1" });
    expect(await status(card.auth)).toMatchObject({ status: "revoked", reason: "superseded" });
    expect(await status(renewed.auth)).toMatchObject({ status: "good" });

    clock = new Date(clock.getTime() + 60_000);
    await jlis.reportLost({ residentRef: "r-1" });
    expect(await status(renewed.auth)).toMatchObject({ status: "revoked", reason: "keyCompromise" });

    // Without verifier credentials the responder refuses: unavailable, not good.
    const anon = await checkRevocation({
      certificate: renewed.auth.certificate,
      issuer: renewed.auth.caCertificate,
      now: clock,
      ocsp: { url: `${running.url}/jlis/ocsp` },
    });
    expect(anon).toMatchObject({ status: "unavailable", failures: [{ code: "OCSP_HTTP_ERROR" }] });
  });

  it("reads a signing certificate the simulator issued", async () => {
    const [k, s] = await Promise.all([rsaKeys(), rsaKeys()]);
    const signCa = await createRootCa({
      purpose: "sign",
      generation: 1,
      keys: k,
      notBefore: new Date("2020-01-01"),
      notAfter: new Date("2035-01-01"),
    });
    const der = await issueSignCertificate({
      ca: signCa,
      subjectPublicKey: s.publicKey,
      serialNumber: 5n,
      facts: {
        name: "佐藤\u3000一郎",
        address: "北海道札幌市中央区北一条西二丁目",
        dateOfBirth: "1960-02-29",
        gender: "male",
      },
      prefectureRomaji: "Hokkaido",
      municipalityRomaji: "Sapporo-shi",
      municipalityCode: "01100",
      issuedAt: NOW,
    });
    // The municipality partition CRL covers it; a partition for another city does not.
    const partition = (city: string) =>
      buildCrl({
        ca: signCa,
        entries: [],
        thisUpdate: NOW,
        nextUpdate: new Date(NOW.getTime() + DAY),
        crlNumber: 1n,
        issuingDistributionPoint: `C=JP, O=JPKI, OU=JPKI for digital signature, OU=CRL Distribution Points, OU=Hokkaido, CN=${city} CRLDP`,
        onlyContainsUserCerts: true,
      });
    const mine = await checkRevocation({
      certificate: der,
      issuer: signCa.certificate,
      now: NOW,
      crls: { bytes: await partition("Sapporo-shi") },
    });
    expect(mine).toMatchObject({ status: "good", source: "crl" });
    const other = await checkRevocation({
      certificate: der,
      issuer: signCa.certificate,
      now: NOW,
      crls: { bytes: await partition("Otaru-shi") },
    });
    expect(other).toMatchObject({ status: "unavailable", failures: [{ code: "CRL_NOT_COVERING" }] });
  });
});
