import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import * as x509 from "@peculiar/x509";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRootCa, type FourFacts, generateRsaKeyPair, type SimCa } from "./ca/ca";
import { createJlisHandler } from "./http/http";
import { type IssuedToken, SimulatedJlis } from "./jlis";
import { OID_OCSP_NONCE } from "./http/ocsp-responder";
import { DirectoryJlisStore, MemoryJlisStore, type TMunicipality } from "./store";
import { type RunningServer, startJlisServer } from "./http/server";

let now = new Date("2025-04-01T01:00:00Z");
const clock = () => now;
const KIYOSE: TMunicipality = { code: "13221", prefectureRomaji: "Tokyo-to", municipalityRomaji: "Kiyose-shi" };
const SAPPORO: TMunicipality = { code: "01100", prefectureRomaji: "Hokkaido", municipalityRomaji: "Sapporo-shi" };
const ADULT: FourFacts = {
  name: "山田\u3000太郎",
  address: "東京都清瀬市中里五丁目８４２番地",
  dateOfBirth: "1990-01-02",
  gender: "male",
};
const CHILD: FourFacts = { ...ADULT, name: "山田\u3000花子", dateOfBirth: "2015-06-01", gender: "female" };
const SECRET = "verifier-secret-0123456789";

let jlis: SimulatedJlis;
let server: RunningServer;
let pool: CryptoKeyPair[];
const engine = new pkijs.CryptoEngine({ name: "test", crypto: globalThis.crypto });

beforeAll(async () => {
  pool = await Promise.all(Array.from({ length: 8 }, () => generateRsaKeyPair()));
  let next = 0;
  jlis = await SimulatedJlis.initialize(new MemoryJlisStore(), {
    clock,
    keyPool: pool,
    serialStart: 0x1000n,
    // Holder keys cycle through the pool: RSA key generation would dominate the run time.
    generateKeyPair: async () => pool[next++ % pool.length]!,
  });
  await jlis.registerVerifier("platform-a", SECRET);
  const handler = createJlisHandler(jlis, {
    verifierCredentials: ({ clientId, secret }) => jlis.checkVerifier(clientId, secret),
  });
  server = await startJlisServer(handler, { port: 0 });
});

afterAll(async () => {
  await server?.close();
  jlis?.stopCrlSchedule();
});

const basic = `Basic ${Buffer.from(`platform-a:${SECRET}`).toString("base64")}`;
const get = (p: string, auth: string | null = basic) =>
  fetch(`${server.url}/jlis${p}`, { headers: auth ? { authorization: auth } : {} });

const toCert = (der: Uint8Array) => pkijs.Certificate.fromBER(new Uint8Array(der));

async function ocspRequest(
  cert: Uint8Array,
  issuer: Uint8Array,
  o: { nonce?: Uint8Array; hash?: "SHA-1" | "SHA-256"; serial?: asn1js.Integer } = {},
): Promise<Uint8Array> {
  const req = new pkijs.OCSPRequest();
  await req.createForCertificate(
    toCert(cert),
    { hashAlgorithm: o.hash ?? "SHA-1", issuerCertificate: toCert(issuer) },
    engine,
  );
  if (o.serial) req.tbsRequest.requestList[0]!.reqCert.serialNumber = o.serial;
  if (o.nonce) {
    req.tbsRequest.requestExtensions = [
      new pkijs.Extension({
        extnID: OID_OCSP_NONCE,
        extnValue: new asn1js.OctetString({ valueHex: o.nonce }).toBER(),
      }),
    ];
  }
  return new Uint8Array(req.toSchema(true).toBER());
}

type OcspResult = {
  responseStatus: number;
  status?: "good" | "revoked" | "unknown";
  revokedAt?: Date;
  reason?: number;
  nonce?: string;
  basic?: pkijs.BasicOCSPResponse;
};

async function postOcsp(body: Uint8Array): Promise<OcspResult> {
  const res = await fetch(`${server.url}/jlis/ocsp`, {
    method: "POST",
    headers: { authorization: basic, "content-type": "application/ocsp-request" },
    body: new Uint8Array(body),
  });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/ocsp-response");
  return parseOcsp(new Uint8Array(await res.arrayBuffer()));
}

function parseOcsp(der: Uint8Array<ArrayBuffer>): OcspResult {
  const response = pkijs.OCSPResponse.fromBER(der);
  const responseStatus = response.responseStatus.valueBlock.valueDec;
  if (!response.responseBytes) return { responseStatus };
  const basicResponse = pkijs.BasicOCSPResponse.fromBER(
    response.responseBytes.response.valueBlock.valueHexView.slice(),
  );
  const single = basicResponse.tbsResponseData.responses[0]!;
  const tag = (single.certStatus as asn1js.AsnType).idBlock.tagNumber;
  const result: OcspResult = {
    responseStatus,
    status: (["good", "revoked", "unknown"] as const)[tag],
    basic: basicResponse,
  };
  if (tag === 1) {
    const [time, reason] = (single.certStatus as asn1js.Constructed).valueBlock.value;
    result.revokedAt = (time as asn1js.GeneralizedTime).toDate();
    result.reason = ((reason as asn1js.Constructed).valueBlock.value[0] as asn1js.Enumerated).valueBlock.valueDec;
  }
  const nonce = basicResponse.tbsResponseData.responseExtensions?.find((e) => e.extnID === OID_OCSP_NONCE);
  if (nonce) result.nonce = Buffer.from(nonce.extnValue.valueBlock.valueHexView).toString("hex");
  return result;
}

async function ocspStatus(cert: Uint8Array, issuer: Uint8Array) {
  return postOcsp(await ocspRequest(cert, issuer));
}

const REASON = { keyCompromise: 1, affiliationChanged: 3, superseded: 4, cessationOfOperation: 5 } as const;

describe("lifecycle (docs/jpki.md#signing-certificate, #revocation)", () => {
  let card: IssuedToken;

  it("issueCard: auth + sign for an adult, both good over OCSP, linked sign → auth", async () => {
    card = await jlis.issueCard({ residentRef: "r-adult", facts: ADULT, municipality: KIYOSE });
    expect(card.label).toBe("JPKIAPICCTOKEN2");
    expect(card.sign).toBeDefined();
    const caCert = new x509.X509Certificate(new Uint8Array(card.auth.caCertificate));
    expect(caCert.subject).toContain("OU=JPKI for user authentication");
    expect(new x509.X509Certificate(new Uint8Array(card.sign!.certificate)).subject).toContain("L=Kiyose-shi");
    expect((await ocspStatus(card.auth.certificate, card.auth.caCertificate)).status).toBe("good");
    expect((await ocspStatus(card.sign!.certificate, card.sign!.caCertificate)).status).toBe("good");
    const link = await (await get(`/link/sign-to-auth/${card.sign!.serial}`)).json();
    expect(link).toEqual({ signSerial: card.sign!.serial, authSerial: card.auth.serial, tokenType: "card" });
  });

  it("issueCard refuses a second active card (renew instead)", async () => {
    await expect(jlis.issueCard({ residentRef: "r-adult", facts: ADULT, municipality: KIYOSE })).rejects.toMatchObject({
      code: "JLIS_CERT_NOT_ACTIVE",
    });
  });

  it("renew: both old certificates superseded, old → new links", async () => {
    now = new Date("2025-05-01T01:00:00Z");
    const renewed = await jlis.renew({ residentRef: "r-adult" });
    expect(renewed.revoked.map((r) => [r.purpose, r.reason]).sort()).toEqual([
      ["auth", "superseded"],
      ["sign", "superseded"],
    ]);
    for (const slot of ["auth", "sign"] as const) {
      const old = card[slot]!;
      const res = await ocspStatus(old.certificate, old.caCertificate);
      expect([res.status, res.reason, res.revokedAt?.toISOString()]).toEqual([
        "revoked",
        REASON.superseded,
        now.toISOString(),
      ]);
      const link = await (await get(`/link/successor/${old.serial}`)).json();
      expect(link).toMatchObject({
        serial: old.serial,
        successor: renewed[slot]!.serial,
        latest: renewed[slot]!.serial,
      });
      expect((await ocspStatus(renewed[slot]!.certificate, renewed[slot]!.caCertificate)).status).toBe("good");
    }
    card = renewed;
  });

  it("changeFacts: only the signing certificate, affiliationChanged, a new one linked", async () => {
    now = new Date("2025-06-01T01:00:00Z");
    const moved = await jlis.changeFacts({
      residentRef: "r-adult",
      facts: { address: "北海道札幌市中央区北一条西二丁目" },
      municipality: SAPPORO,
    });
    expect(moved.revoked).toEqual([
      { serial: card.sign!.serial, purpose: "sign", tokenType: "card", reason: "affiliationChanged" },
    ]);
    const oldSign = await ocspStatus(card.sign!.certificate, card.sign!.caCertificate);
    expect([oldSign.status, oldSign.reason]).toEqual(["revoked", REASON.affiliationChanged]);
    expect((await ocspStatus(card.auth.certificate, card.auth.caCertificate)).status).toBe("good");
    const newSign = new x509.X509Certificate(new Uint8Array(moved.sign!.certificate));
    expect(newSign.subject).toContain("L=Sapporo-shi");
    expect(await (await get(`/link/successor/${card.sign!.serial}`)).json()).toMatchObject({
      successor: moved.sign!.serial,
    });
    expect(await (await get(`/link/sign-to-auth/${moved.sign!.serial}`)).json()).toMatchObject({
      authSerial: card.auth.serial,
    });
    card = { ...card, sign: moved.sign };
  });

  it("latest four facts: 403 without consent, 200 with it, also for the old (revoked) certificate", async () => {
    const oldSignSerial = (await (await get(`/link/successor/${card.sign!.serial}`)).json()).serial as string;
    const denied = await get(`/facts/${oldSignSerial}`);
    expect(denied.status).toBe(403);
    expect((await denied.json()).error.code).toBe("JLIS_CONSENT_MISSING");
    await jlis.setConsent({ residentRef: "r-adult", consent: true });
    const res = await get(`/facts/${oldSignSerial}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      facts: { ...ADULT, address: "北海道札幌市中央区北一条西二丁目" },
      municipality: SAPPORO,
      deceased: false,
      currentSignSerial: card.sign!.serial,
    });
  });

  it("mobile tokens: own serials and labels, same roots; need an active card", async () => {
    const android = await jlis.issueCard({
      residentRef: "r-adult",
      facts: jlis.resident("r-adult")!.facts,
      municipality: SAPPORO,
      tokenType: "android",
    });
    expect(android.label).toBe("JPKIAPGPSETOKEN");
    expect(android.auth.serial).not.toBe(card.auth.serial);
    expect(android.auth.caCertificate).toEqual(card.auth.caCertificate);
    expect((await ocspStatus(android.sign!.certificate, android.sign!.caCertificate)).status).toBe("good");
    await expect(
      jlis.issueCard({ residentRef: "r-new", facts: ADULT, municipality: KIYOSE, tokenType: "iphone" }),
    ).rejects.toMatchObject({ code: "JLIS_CERT_NOT_ACTIVE" });
  });

  it("reportLost: the card's auth and sign revoked keyCompromise; the phone's stay good", async () => {
    now = new Date("2025-07-01T01:00:00Z");
    const { revoked } = await jlis.reportLost({ residentRef: "r-adult" });
    expect(revoked.map((r) => [r.purpose, r.tokenType, r.reason]).sort()).toEqual([
      ["auth", "card", "keyCompromise"],
      ["sign", "card", "keyCompromise"],
    ]);
    for (const slot of ["auth", "sign"] as const) {
      const res = await ocspStatus(card[slot]!.certificate, card[slot]!.caCertificate);
      expect([res.status, res.reason]).toEqual(["revoked", REASON.keyCompromise]);
    }
    const phone = jlis.resident("r-adult")!.tokens.android!;
    expect(jlis.status(phone.auth!).status).toBe("good");
  });

  it("death: every remaining certificate revoked", async () => {
    const { revoked } = await jlis.death({ residentRef: "r-adult" });
    expect(revoked.map((r) => [r.purpose, r.tokenType, r.reason]).sort()).toEqual([
      ["auth", "android", "cessationOfOperation"],
      ["sign", "android", "affiliationChanged"],
    ]);
    expect(await (await get(`/facts/${card.sign!.serial}`)).json()).toMatchObject({
      deceased: true,
      currentSignSerial: null,
    });
    await expect(jlis.renew({ residentRef: "r-adult" })).rejects.toMatchObject({ code: "JLIS_CERT_NOT_ACTIVE" });
  });

  it("no signing certificate under 15", async () => {
    const child = await jlis.issueCard({ residentRef: "r-child", facts: CHILD, municipality: KIYOSE });
    expect(child.sign).toBeUndefined();
    expect(jlis.resident("r-child")!.tokens.card).toEqual({ auth: child.auth.serial });
  });

  it("revoke with an explicit reason (certificateHold)", async () => {
    const other = await jlis.issueCard({ residentRef: "r-hold", facts: ADULT, municipality: KIYOSE });
    await jlis.revoke({ serialHex: other.auth.serial.toUpperCase(), reason: "certificateHold" });
    const res = await ocspStatus(other.auth.certificate, other.auth.caCertificate);
    expect([res.status, res.reason]).toEqual(["revoked", 6]);
    await expect(jlis.revoke({ serialHex: other.auth.serial, reason: "keyCompromise" })).rejects.toMatchObject({
      code: "JLIS_CERT_NOT_ACTIVE",
    });
  });
});

describe("OCSP responder (RFC 6960)", () => {
  let token: IssuedToken;
  beforeAll(async () => {
    token = await jlis.issueCard({ residentRef: "r-ocsp", facts: ADULT, municipality: KIYOSE });
  });

  it("echoes the nonce, signs with the delegated responder certificate, times within the window", async () => {
    const nonce = crypto.getRandomValues(new Uint8Array(32));
    const res = await postOcsp(await ocspRequest(token.auth.certificate, token.auth.caCertificate, { nonce }));
    expect(res.responseStatus).toBe(0);
    expect(res.nonce).toBe(Buffer.from(new asn1js.OctetString({ valueHex: nonce }).toBER()).toString("hex"));
    const basicResponse = res.basic!;
    const responderCert = basicResponse.certs![0]!;
    const responderX509 = new x509.X509Certificate(new Uint8Array(responderCert.toSchema().toBER()));
    expect(responderX509.getExtension(x509.ExtendedKeyUsageExtension)!.usages).toContain("1.3.6.1.5.5.7.3.9");
    expect(await responderX509.verify({ publicKey: jlis.currentCa("auth").keys.publicKey, signatureOnly: true })).toBe(
      true,
    );
    expect(await basicResponse.verify({ trustedCerts: [toCert(token.auth.caCertificate)] }, engine)).toBe(true);
    const single = basicResponse.tbsResponseData.responses[0]!;
    expect(single.thisUpdate.toISOString()).toBe(now.toISOString());
    expect(single.nextUpdate!.getTime() - single.thisUpdate.getTime()).toBe(10 * 60 * 1000);
  });

  it("works with SHA-256 CertIDs and over GET (base64url)", async () => {
    const der = await ocspRequest(token.sign!.certificate, token.sign!.caCertificate, { hash: "SHA-256" });
    expect((await postOcsp(der)).status).toBe("good");
    const res = await get(`/ocsp/${Buffer.from(der).toString("base64url")}`);
    expect(res.status).toBe(200);
    expect(parseOcsp(new Uint8Array(await res.arrayBuffer())).status).toBe("good");
  });

  it.each([
    ["a serial J-LIS never issued", () => new asn1js.Integer({ value: 0x7fffffff }), "unknown"],
    [
      "a serial of the other purpose",
      () => new asn1js.Integer({ valueHex: Buffer.from(token.sign!.serial.padStart(8, "0"), "hex") }),
      "unknown",
    ],
  ])("%s is unknown", async (_l, serial, expected) => {
    const der = await ocspRequest(token.auth.certificate, token.auth.caCertificate, { serial: serial() });
    expect((await postOcsp(der)).status).toBe(expected);
  });

  it("asking the right DN of an older generation: signed by its responder, serial unknown", async () => {
    const gen1: SimCa = jlis.ca("auth", 1)!;
    const der = await ocspRequest(token.auth.certificate, gen1.certificate);
    const res = await postOcsp(der);
    expect([res.responseStatus, res.status]).toEqual([0, "unknown"]);
  });

  it("a foreign CA: unauthorized; garbage: malformedRequest", async () => {
    const foreign = await SimCaFactory();
    const der = await ocspRequest(token.auth.certificate, foreign);
    expect((await postOcsp(der)).responseStatus).toBe(6);
    expect((await postOcsp(Uint8Array.of(0x30, 0x03, 0x02, 0x01))).responseStatus).toBe(1);
  });
});

/** A root with the auth DN but a key J-LIS does not have: CertID names it by name + key hash. */
async function SimCaFactory(): Promise<Uint8Array> {
  const ca = await createRootCa({
    purpose: "auth",
    generation: 9,
    notBefore: new Date("2020-01-01T00:00:00Z"),
    notAfter: new Date("2030-01-01T00:00:00Z"),
  });
  return ca.certificate;
}

describe("CRLs over HTTP (RFC 5280 §5)", () => {
  it("full sign CRL: revoked serials with reasons, dates from the clock, signed by the current CA", async () => {
    now = new Date("2025-08-01T01:00:00Z");
    const res = await get("/crl/sign.crl");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pkix-crl");
    const crl = new x509.X509Crl(new Uint8Array(await res.arrayBuffer()));
    expect(crl.thisUpdate.toISOString()).toBe(now.toISOString());
    expect(crl.nextUpdate!.getTime() - now.getTime()).toBe(24 * 3600 * 1000);
    expect(await crl.verify({ publicKey: jlis.currentCa("sign").keys.publicKey })).toBe(true);
    const entries = new Map(crl.entries.map((e) => [BigInt(`0x${e.serialNumber}`).toString(16), e.reason]));
    const expected = jlis.listCertificates().filter((r) => r.purpose === "sign" && r.revokedAt);
    expect([...entries.keys()].sort()).toEqual(expected.map((r) => r.serial).sort());
    expect(new Set(entries.values())).toEqual(
      new Set([x509.X509CrlReason.superseded, x509.X509CrlReason.affiliationChanged, x509.X509CrlReason.keyCompromise]),
    );
  });

  it("cRLNumber grows with each rebuild; a revocation triggers one", async () => {
    const number = async () => {
      const crl = new x509.X509Crl(new Uint8Array(await (await get("/crl/auth.crl")).arrayBuffer()));
      const ext = crl.extensions.find((e) => e.type === "2.5.29.20")!;
      return { n: (asn1js.fromBER(ext.value).result as asn1js.Integer).valueBlock.valueDec, size: crl.entries.length };
    };
    const first = await number();
    expect(await number()).toEqual(first); // cached: same CRL
    const t = await jlis.issueCard({ residentRef: "r-crl", facts: ADULT, municipality: KIYOSE });
    await jlis.reportLost({ residentRef: "r-crl" });
    expect(t.auth.serial).toBeTruthy();
    const second = await number();
    expect(second).toEqual({ n: first.n + 1, size: first.size + 1 });
    now = new Date(now.getTime() + 13 * 3600 * 1000); // past the refresh period (half a day)
    expect((await number()).n).toBe(first.n + 2);
  });

  it("municipality partitions hold only their municipality; the index maps DirNames to paths", async () => {
    const index = (await (await get("/crl/index.json")).json()).crls as { path: string; dirName?: string }[];
    const kiyose = index.find((c) => c.path === "gen2/sign/13221.crl")!;
    expect(kiyose.dirName).toBe(
      "C=JP, O=JPKI, OU=JPKI for digital signature, OU=CRL Distribution Points, OU=Tokyo-to, CN=Kiyose-shi CRLDP",
    );
    const crl = new x509.X509Crl(new Uint8Array(await (await get("/crl/sign/13221.crl")).arrayBuffer()));
    const idp = crl.extensions.find((e) => e.type === "2.5.29.28")!;
    expect(idp.critical).toBe(true);
    const records = Object.fromEntries(jlis.listCertificates().map((r) => [r.serial, r]));
    const serials = crl.entries.map((e) => BigInt(`0x${e.serialNumber}`).toString(16));
    expect(serials.length).toBeGreaterThan(0);
    for (const s of serials) expect(records[s]!.municipalityCode).toBe("13221");
    const sapporo = new x509.X509Crl(new Uint8Array(await (await get("/crl/gen2/sign/01100.crl")).arrayBuffer()));
    for (const e of sapporo.entries) {
      expect(records[BigInt(`0x${e.serialNumber}`).toString(16)]!.municipalityCode).toBe("01100");
    }
  });

  it.each([
    ["/crl/arl/auth-1.crl", 200],
    ["/crl/arl/sign-2.crl", 200],
    ["/crl/test/sign.crl", 200],
    ["/crl/gen1/auth.crl", 200],
    ["/crl/gen7/auth.crl", 404],
    ["/crl/sign/99999.crl", 404],
    ["/crl/nothing.crl", 404],
  ])("%s → %i", async (p, status) => {
    const res = await get(p);
    expect(res.status).toBe(status);
    if (status === 200) expect(new x509.X509Crl(new Uint8Array(await res.arrayBuffer())).entries).toBeDefined();
    else expect((await res.json()).error.code).toBe("NOT_FOUND");
  });

  it("the ARL names the root's own DN and holds CA certificates only", async () => {
    const crl = new x509.X509Crl(new Uint8Array(await (await get("/crl/arl/auth-2.crl")).arrayBuffer()));
    expect(crl.entries).toHaveLength(0);
    expect(await crl.verify({ publicKey: jlis.ca("auth", 2)!.keys.publicKey })).toBe(true);
    const idp = asn1js.fromBER(crl.extensions.find((e) => e.type === "2.5.29.28")!.value).result as asn1js.Sequence;
    expect(idp.valueBlock.value.map((v) => v.idBlock.tagNumber)).toEqual([0, 2]);
  });

  it("the schedule republishes every CRL with a higher cRLNumber until stopped", async () => {
    const store = new MemoryJlisStore();
    const sim = await SimulatedJlis.initialize(store, { clock, keyPool: pool, testHierarchy: false });
    const crlNumberOf = () => {
      const der = store.artifacts.get("crl/gen2/auth.crl");
      if (!der) return 0;
      const ext = new x509.X509Crl(new Uint8Array(der)).extensions.find((e) => e.type === "2.5.29.20")!;
      return (asn1js.fromBER(ext.value).result as asn1js.Integer).valueBlock.valueDec;
    };
    sim.startCrlSchedule(40);
    const deadline = Date.now() + 10_000;
    while (crlNumberOf() < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    sim.stopCrlSchedule();
    expect(crlNumberOf()).toBeGreaterThanOrEqual(2);
    await new Promise((r) => setTimeout(r, 200)); // a publication already running may still finish
    const settled = crlNumberOf();
    await new Promise((r) => setTimeout(r, 200));
    expect(crlNumberOf()).toBe(settled);
  });

  it("publishCrls writes every scope to the store", async () => {
    const published = await jlis.publishCrls();
    expect(published.map((p) => p.scopeId)).toEqual(
      expect.arrayContaining(["gen2/sign.crl", "arl/sign-1.crl", "test/gen1/auth.crl", "gen2/sign/13221.crl"]),
    );
  });
});

describe("verifier credentials", () => {
  it.each([
    ["none", null],
    ["wrong secret", `Basic ${Buffer.from("platform-a:wrong-secret-000000").toString("base64")}`],
    ["unknown client", `Basic ${Buffer.from(`platform-b:${SECRET}`).toString("base64")}`],
    ["bad bearer", "Bearer nope"],
    ["other scheme", `Digest ${SECRET}`],
  ])("%s → 401 JLIS_VERIFIER_UNAUTHORIZED", async (_l, auth) => {
    for (const p of ["/crl/sign.crl", "/link/successor/1", "/facts/1", "/ocsp/MAA"]) {
      const res = await get(p, auth);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toContain("Basic");
      expect((await res.json()).error.code).toBe("JLIS_VERIFIER_UNAUTHORIZED");
    }
  });

  it("a bearer key and a Map of credentials are accepted", async () => {
    expect((await get("/crl/index.json", `Bearer ${SECRET}`)).status).toBe(200);
    const handler = createJlisHandler(jlis, { verifierCredentials: new Map([["x", "map-secret-0123456789"]]) });
    const ok = await handler(
      new Request("http://h/jlis/crl/index.json", {
        headers: { authorization: `Basic ${Buffer.from("x:map-secret-0123456789").toString("base64")}` },
      }),
    );
    expect(ok.status).toBe(200);
    const unknown = await handler(
      new Request("http://h/jlis/link/successor/ffffff", {
        headers: { authorization: "Bearer map-secret-0123456789" },
      }),
    );
    expect([unknown.status, (await unknown.json()).error.code]).toEqual([404, "JLIS_CERT_UNKNOWN"]);
  });
});

describe("registry change report (POST /registry/changes)", () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/jlis/registry/changes`, {
      method: "POST",
      headers: { authorization: basic, "content-type": "application/json", ...headers },
      body,
    });
  const codeOf = async (res: Response) => [res.status, (await res.json()).error.code];

  it("bad bodies get their own codes, never a 500", async () => {
    expect(await codeOf(await post("{"))).toEqual([400, "BAD_JSON"]);
    expect(await codeOf(await post(JSON.stringify({ residentRef: "x", facts: {} })))).toEqual([
      422,
      "VALIDATION_FAILED",
    ]);
    expect(
      await codeOf(await post(JSON.stringify({ residentRef: "x", facts: { address: "東京都\u0000清瀬市" } }))),
    ).toEqual([422, "TEXT_CHARACTER_FORBIDDEN"]);
    expect(
      await codeOf(await post(JSON.stringify({ residentRef: "no-such-person", facts: { address: "東京都" } }))),
    ).toEqual([404, "JLIS_CERT_UNKNOWN"]);
    const big = JSON.stringify({ residentRef: "x", facts: { address: "a".repeat(20_000) } });
    expect(await codeOf(await post(big))).toEqual([413, "PAYLOAD_TOO_LARGE"]);
  });
});

describe("directory store", () => {
  it("persists, reopens, and lets a second process's revocation show up in OCSP", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "jlis-"));
    try {
      const store = new DirectoryJlisStore(dir);
      const a = await SimulatedJlis.initialize(store, { clock, keyPool: pool, generateKeyPair: async () => pool[3]! });
      const token = await a.issueCard({ residentRef: "r1", facts: ADULT, municipality: KIYOSE });
      expect((await readFile(path.join(dir, "ca/production-auth-02.cer"))).length).toBeGreaterThan(500);
      const b = await SimulatedJlis.open(new DirectoryJlisStore(dir), { clock });
      await b.reportLost({ residentRef: "r1" });
      expect(a.status(token.auth.serial).status).toBe("good"); // not synced yet
      await a.syncFromStore();
      expect(a.status(token.auth.serial)).toMatchObject({ status: "revoked", reason: "keyCompromise" });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("open re-issues responder certificates that are about to expire", async () => {
    const store = new MemoryJlisStore();
    const start = new Date("2025-01-01T00:00:00Z");
    const first = await SimulatedJlis.initialize(store, { clock: () => start, keyPool: pool, testHierarchy: false });
    const notAfter = (sim: SimulatedJlis) =>
      new x509.X509Certificate(new Uint8Array(sim.responderFor(sim.currentCa("sign")).certificate)).notAfter;
    const before = notAfter(first);
    const later = new Date(before.getTime() - 10 * 24 * 3600 * 1000);
    const reopened = await SimulatedJlis.open(store, { clock: () => later });
    expect(notAfter(reopened).getTime()).toBeGreaterThan(before.getTime());
    expect(store.artifacts.has("ocsp/production-sign-02.cer")).toBe(true);
    expect(await (await SimulatedJlis.open(store, { clock: () => later })).renewResponderCertificates()).toBe(0);
  });

  it("open without state: JLIS_NOT_INITIALIZED", async () => {
    await expect(SimulatedJlis.open(new MemoryJlisStore())).rejects.toMatchObject({ code: "JLIS_NOT_INITIALIZED" });
  });
});
