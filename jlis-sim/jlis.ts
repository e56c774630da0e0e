/**
 * The stateful simulated J-LIS (地方公共団体情報システム機構): root CAs in two or more
 * generations plus the O=JPKI-TEST hierarchy, a delegated OCSP responder, the certificates it
 * issued with their status, and the linking records (docs/jpki.md#linking-services, #simulation-decisions).
 *
 * Card lifecycle for a registry resident (docs/jpki.md#signing-certificate, #revocation, #simulation-decisions):
 * - issueCard: auth + sign key pairs and certificates (no sign certificate under 15);
 * - renew: new pairs, the old ones revoked `superseded`, old → new links;
 * - reportLost: both revoked `keyCompromise`;
 * - changeFacts: signing certificates only, revoked `affiliationChanged`, a new one issued;
 * - death: every certificate revoked (sign `affiliationChanged`, auth `cessationOfOperation`).
 * Mobile tokens (Android, iPhone) get their own key pairs and serials under the same roots.
 *
 * J-LIS never holds a holder's private key: the operations return the new keys to the caller,
 * who writes them into a virtual card.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { AppError } from "@/lib/errors/app-error";
import {
  buildCrl,
  createRootCa,
  type FourFacts,
  generateRsaKeyPair,
  issueAuthCertificate,
  issueOcspResponderCertificate,
  issueSignCertificate,
  RSA_SHA256,
  type SimCa,
} from "./ca/ca";
import type { RevocationReason } from "./ca/crl";
import { nameDer } from "./names";
import {
  type CaPurpose,
  caName,
  type Hierarchy,
  signCrlDistributionPointName,
  TOKEN_LABELS,
  type TokenType,
} from "./ca/profiles";
import {
  JLIS_STATE_FORMAT,
  type JlisStore,
  type TCaRecord,
  type TCertRecord,
  type TJlisState,
  type TMunicipality,
  type TResident,
  ZFourFacts,
  ZMunicipality,
} from "./store";
import { ageOn } from "./ca/validity";

const DAY = 24 * 60 * 60 * 1000;
const YEAR = 365 * DAY;

/** A clock; tests pass a fixed one. */
export type Clock = () => Date;

/** One issued credential: what a virtual card slot needs. */
export type IssuedCredential = {
  /** Lowercase hex serial. */
  serial: string;
  certificate: Uint8Array;
  caCertificate: Uint8Array;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
};

/** A token's new credentials (issue, renew). */
export type IssuedToken = {
  residentRef: string;
  tokenType: TokenType;
  /** PKCS#11 token label of EF 0006 (docs/jpki.md#card-files-and-token-labels). */
  label: string;
  auth: IssuedCredential;
  sign?: IssuedCredential;
  /** Certificates this operation revoked. */
  revoked: RevokedRef[];
};

export type RevokedRef = { serial: string; purpose: CaPurpose; tokenType: TokenType; reason: RevocationReason };

/** Status of one certificate as J-LIS knows it. */
export type CertificateStatus =
  | { status: "good"; record: TCertRecord }
  | { status: "revoked"; record: TCertRecord; revokedAt: Date; reason: RevocationReason }
  | { status: "unknown" };

/** A CRL scope: one issuer (CA), optionally a municipality partition or the ARL. */
export type CrlScope = {
  hierarchy: Hierarchy;
  purpose: CaPurpose;
  /** Default: the current generation of that purpose. */
  generation?: number;
  /** Sign CRL partition of one municipality (matches the certificates' CRL DP). */
  municipalityCode?: string;
  /** The authority revocation list (CA certificates). */
  arl?: boolean;
};

export type PublishedCrl = { der: Uint8Array; thisUpdate: Date; nextUpdate: Date; crlNumber: bigint; scopeId: string };

export type SimulatedJlisOptions = {
  clock?: Clock;
  /** nextUpdate − thisUpdate of CRLs; default one day (J-LIS refreshes daily, docs/jpki.md#revocation). */
  crlValidityMs?: number;
  /**
   * Rebuild a cached CRL on request when a revocation happened since it was built.
   * Default true (handy in development); false serves the scheduled CRL as the real service does.
   */
  crlRebuildOnRevocation?: boolean;
  /** Validity of OCSP responses (nextUpdate − thisUpdate); default 10 minutes. */
  ocspValidityMs?: number;
  /** Source of holder key pairs; default a fresh RSA-2048 pair (tests may recycle a few). */
  generateKeyPair?: () => Promise<CryptoKeyPair>;
};

export type InitializeJlisOptions = SimulatedJlisOptions & {
  /** Production generations per purpose (≥ 2; default 2). The newest one issues. */
  generations?: number;
  /** Also create the O=JPKI-TEST hierarchy (default true). */
  testHierarchy?: boolean;
  /** First certificate serial; default random, so two simulators never share serials. */
  serialStart?: bigint;
  /** Reuse key pairs (tests: RSA key generation is slow). Taken in order, then generated. */
  keyPool?: CryptoKeyPair[];
};

function caId(hierarchy: Hierarchy, purpose: CaPurpose, generation: number): string {
  return `${hierarchy}-${purpose}-${String(generation).padStart(2, "0")}`;
}

/** Canonical serial form: lowercase hex, no leading zeros. */
export function normalizeSerial(hex: string): string {
  if (!/^[0-9a-fA-F]{1,40}$/.test(hex)) {
    throw new AppError("VALIDATION_FAILED", { message: `Not a hexadecimal serial number: ${hex}` });
  }
  return BigInt(`0x${hex}`).toString(16);
}

const b64 = (data: Uint8Array | ArrayBuffer) =>
  Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data).toString("base64");
const unb64 = (text: string) => new Uint8Array(Buffer.from(text, "base64"));
const sha256Hex = (text: string) => createHash("sha256").update(text).digest("hex");

async function importPrivateKey(pkcs8: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return globalThis.crypto.subtle.importKey("pkcs8", pkcs8, RSA_SHA256, false, ["sign"]);
}

async function importPublicKey(spki: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return globalThis.crypto.subtle.importKey("spki", spki, RSA_SHA256, true, ["verify"]);
}

/** The subjectPublicKey BIT STRING content of a certificate (the input of CertID.issuerKeyHash). */
function subjectPublicKeyBits(spki: Uint8Array): Uint8Array {
  // SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier, BIT STRING }: skip the outer header
  // and the algorithm, then the BIT STRING header and its unused-bits octet.
  const skipHeader = (at: number): [number, number] => {
    const first = spki[at + 1]!;
    if (first < 0x80) return [at + 2, first];
    const n = first & 0x7f;
    let len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + spki[at + 2 + i]!;
    return [at + 2 + n, len];
  };
  const [inner] = skipHeader(0);
  const [algStart, algLen] = skipHeader(inner);
  const [bitsStart, bitsLen] = skipHeader(algStart + algLen);
  return spki.subarray(bitsStart + 1, bitsStart + bitsLen);
}

/** Hashes that identify an issuer in an OCSP CertID (RFC 6960 §4.1.1), per hash algorithm. */
type IssuerHashes = Record<"SHA-1" | "SHA-256", { name: string; key: string }>;

type LoadedCa = { record: TCaRecord; ca: SimCa; responderCertificate: Uint8Array; hashes: IssuerHashes };

/**
 * The simulated J-LIS. Create with {@link SimulatedJlis.initialize} (new CAs) or
 * {@link SimulatedJlis.open} (existing state). All mutating operations are serialized and
 * saved to the store before they return.
 */
export class SimulatedJlis {
  private readonly clock: Clock;
  private readonly crlValidityMs: number;
  private readonly crlRebuildOnRevocation: boolean;
  readonly ocspValidityMs: number;
  private readonly newKeyPair: () => Promise<CryptoKeyPair>;
  private queue: Promise<unknown> = Promise.resolve();
  private revocationRevision = 0;
  private readonly crlCache = new Map<string, PublishedCrl & { revision: number }>();
  private crlTimer: NodeJS.Timeout | undefined;
  private storeVersion: string | undefined;

  private constructor(
    private readonly store: JlisStore,
    private state: TJlisState,
    private readonly loaded: Map<string, LoadedCa>,
    private readonly responderKey: CryptoKey,
    options: SimulatedJlisOptions,
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.crlValidityMs = options.crlValidityMs ?? DAY;
    this.crlRebuildOnRevocation = options.crlRebuildOnRevocation ?? true;
    this.ocspValidityMs = options.ocspValidityMs ?? 10 * 60 * 1000;
    this.newKeyPair = options.generateKeyPair ?? generateRsaKeyPair;
  }

  /** Create fresh CAs, the OCSP responder and an empty registry, and save them. */
  static async initialize(store: JlisStore, o: InitializeJlisOptions = {}): Promise<SimulatedJlis> {
    const clock = o.clock ?? (() => new Date());
    const now = clock();
    const generations = o.generations ?? 2;
    if (generations < 2) throw new AppError("VALIDATION_FAILED", { message: "At least two generations are kept." });
    let serial = o.serialStart ?? BigInt(`0x${randomBytes(6).toString("hex")}`) + 0x1000000n;

    const plan: { hierarchy: Hierarchy; generation: number }[] = [];
    for (let g = 1; g <= generations; g++) plan.push({ hierarchy: "production", generation: g });
    if (o.testHierarchy ?? true) plan.push({ hierarchy: "test", generation: 1 });
    // All key pairs at once: WebCrypto generates them on the thread pool, in parallel.
    const needed = 1 + plan.length * 2;
    const given = (o.keyPool ?? []).slice(0, needed);
    const pool = [
      ...given,
      ...(await Promise.all(Array.from({ length: needed - given.length }, () => generateRsaKeyPair()))),
    ];
    const nextKeys = async () => pool.shift()!;
    const responderKeys = await nextKeys();

    const cas: TCaRecord[] = [];
    for (const { hierarchy, generation } of plan) {
      for (const purpose of ["auth", "sign"] as const) {
        // Generations overlap like the real ones (10 years each, a new one every few years);
        // the newest is valid from yesterday, older ones started 4 years apart before it.
        const age = (generations - generation) * 4 * YEAR;
        const notBefore = new Date(now.getTime() - DAY - (hierarchy === "test" ? 0 : age));
        const ca = await createRootCa({
          purpose,
          generation,
          hierarchy,
          notBefore,
          notAfter: new Date(notBefore.getTime() + 10 * YEAR),
          keys: await nextKeys(),
        });
        const responderCertificate = await issueOcspResponderCertificate({
          ca,
          subjectPublicKey: responderKeys.publicKey,
          serialNumber: serial++,
          notBefore: new Date(now.getTime() - DAY),
          notAfter: new Date(Math.min(now.getTime() + 2 * YEAR, notBefore.getTime() + 10 * YEAR)),
        });
        cas.push({
          id: caId(hierarchy, purpose, generation),
          purpose,
          generation,
          hierarchy,
          certificate: b64(ca.certificate),
          privateKey: b64(await globalThis.crypto.subtle.exportKey("pkcs8", ca.keys.privateKey)),
          responderCertificate: b64(responderCertificate),
        });
      }
    }
    const state: TJlisState = {
      format: JLIS_STATE_FORMAT,
      createdAt: now.toISOString(),
      nextSerial: serial.toString(),
      cas,
      responder: {
        privateKey: b64(await globalThis.crypto.subtle.exportKey("pkcs8", responderKeys.privateKey)),
        publicKey: b64(await globalThis.crypto.subtle.exportKey("spki", responderKeys.publicKey)),
      },
      verifiers: {},
      crlNumbers: {},
      residents: {},
      certificates: {},
    };
    await store.save(state);
    for (const ca of cas) {
      await store.writeArtifact(`ca/${ca.id}.cer`, unb64(ca.certificate));
      await store.writeArtifact(`ocsp/${ca.id}.cer`, unb64(ca.responderCertificate));
    }
    return SimulatedJlis.fromState(store, state, o);
  }

  /** Open saved state; AppError JLIS_NOT_INITIALIZED when there is none. */
  static async open(store: JlisStore, o: SimulatedJlisOptions = {}): Promise<SimulatedJlis> {
    const state = await store.load();
    if (!state) throw new AppError("JLIS_NOT_INITIALIZED");
    const jlis = await SimulatedJlis.fromState(store, state, o);
    await jlis.renewResponderCertificates();
    return jlis;
  }

  /**
   * Re-issue delegated responder certificates that expire within 30 days (a long-lived data
   * directory would otherwise start answering OCSP with an expired responder).
   */
  renewResponderCertificates(): Promise<number> {
    return this.exclusive(async () => {
      const now = this.clock();
      const spki = unb64(this.state.responder.publicKey);
      const publicKey = await importPublicKey(spki);
      let renewed = 0;
      for (const l of this.loaded.values()) {
        const current = new x509.X509Certificate(new Uint8Array(l.responderCertificate));
        if (current.notAfter.getTime() - now.getTime() > 30 * DAY) continue;
        const caCert = new x509.X509Certificate(new Uint8Array(l.ca.certificate));
        if (caCert.notAfter.getTime() <= now.getTime()) continue; // an expired root certifies nothing
        const certificate = await issueOcspResponderCertificate({
          ca: l.ca,
          subjectPublicKey: publicKey,
          serialNumber: this.allocateSerial(),
          notBefore: new Date(now.getTime() - DAY),
          notAfter: new Date(Math.min(now.getTime() + 2 * YEAR, caCert.notAfter.getTime())),
        });
        l.responderCertificate = certificate;
        l.record.responderCertificate = b64(certificate);
        const record = this.state.cas.find((c) => c.id === l.record.id);
        if (record) record.responderCertificate = l.record.responderCertificate;
        await this.store.writeArtifact(`ocsp/${l.record.id}.cer`, certificate);
        renewed++;
      }
      if (renewed > 0) await this.persist();
      return renewed;
    });
  }

  private static async fromState(store: JlisStore, state: TJlisState, o: SimulatedJlisOptions): Promise<SimulatedJlis> {
    const loaded = new Map<string, LoadedCa>();
    for (const record of state.cas) {
      const certificate = unb64(record.certificate);
      const cert = new x509.X509Certificate(certificate);
      const spki = new Uint8Array(cert.publicKey.rawData);
      const keys: CryptoKeyPair = {
        privateKey: await importPrivateKey(unb64(record.privateKey)),
        publicKey: await importPublicKey(spki),
      };
      const name = nameDer(caName(record.purpose, record.hierarchy));
      const keyBits = subjectPublicKeyBits(spki);
      const hashes = {
        "SHA-1": {
          name: createHash("sha1").update(name).digest("hex"),
          key: createHash("sha1").update(keyBits).digest("hex"),
        },
        "SHA-256": {
          name: createHash("sha256").update(name).digest("hex"),
          key: createHash("sha256").update(keyBits).digest("hex"),
        },
      };
      loaded.set(record.id, {
        record,
        ca: { purpose: record.purpose, generation: record.generation, hierarchy: record.hierarchy, certificate, keys },
        responderCertificate: unb64(record.responderCertificate),
        hashes,
      });
    }
    const responderKey = await importPrivateKey(unb64(state.responder.privateKey));
    const jlis = new SimulatedJlis(store, state, loaded, responderKey, o);
    jlis.storeVersion = await store.version?.();
    return jlis;
  }

  /** Current time of this simulator's clock. */
  now(): Date {
    return this.clock();
  }

  /**
   * Serialize an operation. Each starts from the latest saved state, so a CLI in another process
   * and a running server can share one data directory (last writer wins per operation).
   */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const body = async () => {
      await this.reloadIfChanged();
      return fn();
    };
    const run = this.queue.then(body, body);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async persist(): Promise<void> {
    await this.store.save(this.state);
    this.storeVersion = await this.store.version?.();
  }

  private async reloadIfChanged(): Promise<void> {
    if (!this.store.version) return;
    const version = await this.store.version();
    if (version === this.storeVersion) return;
    const state = await this.store.load();
    if (!state) return;
    this.state = state;
    this.storeVersion = version;
    // Another process may have revoked something: cached CRLs are out of date.
    this.revocationRevision++;
  }

  /** Pick up changes another process saved (the HTTP handler calls this per request). */
  syncFromStore(): Promise<void> {
    return this.exclusive(async () => {});
  }

  // --- CAs -------------------------------------------------------------------------------

  /** All CAs (every generation, both hierarchies). */
  cas(): SimCa[] {
    return [...this.loaded.values()].map((l) => l.ca);
  }

  /** The CA of a purpose that issues new certificates (newest generation). */
  currentCa(purpose: CaPurpose, hierarchy: Hierarchy = "production"): SimCa {
    const candidates = [...this.loaded.values()].filter(
      (l) => l.record.purpose === purpose && l.record.hierarchy === hierarchy,
    );
    const newest = candidates.sort((a, b) => b.record.generation - a.record.generation)[0];
    if (!newest) throw new AppError("JLIS_NOT_INITIALIZED", { message: `No ${hierarchy} ${purpose} CA.` });
    return newest.ca;
  }

  /** A CA by purpose and generation. */
  ca(purpose: CaPurpose, generation: number, hierarchy: Hierarchy = "production"): SimCa | undefined {
    return this.loaded.get(caId(hierarchy, purpose, generation))?.ca;
  }

  /** Root certificates (DER) to configure as trust anchors. */
  trustAnchors(filter: { purpose?: CaPurpose; hierarchy?: Hierarchy } = {}): Uint8Array[] {
    return this.cas()
      .filter((c) => (filter.purpose ?? c.purpose) === c.purpose && (filter.hierarchy ?? c.hierarchy) === c.hierarchy)
      .map((c) => c.certificate);
  }

  /** The delegated OCSP responder certificate for `ca` (RFC 6960 §4.2.2.2). */
  responderFor(ca: SimCa): { certificate: Uint8Array; privateKey: CryptoKey } {
    const l = this.loaded.get(caId(ca.hierarchy, ca.purpose, ca.generation));
    if (!l) throw new AppError("JLIS_NOT_INITIALIZED");
    return { certificate: l.responderCertificate, privateKey: this.responderKey };
  }

  /** The CA an OCSP CertID names (RFC 6960 §4.1.1), matched by name and key hash. */
  caByCertIdHashes(hash: "SHA-1" | "SHA-256", nameHashHex: string, keyHashHex: string): SimCa | undefined {
    for (const l of this.loaded.values()) {
      if (l.hashes[hash].name === nameHashHex && l.hashes[hash].key === keyHashHex) return l.ca;
    }
    return undefined;
  }

  // --- verifiers -------------------------------------------------------------------------

  /**
   * Register a verifier (署名検証者 / 利用者証明検証者, docs/jpki.md#registered-verifiers) and return its secret.
   * Only registered verifiers may use the revocation, linking and facts endpoints.
   */
  registerVerifier(clientId: string, secret?: string): Promise<string> {
    return this.exclusive(async () => {
      if (!/^[A-Za-z0-9._-]{1,64}$/.test(clientId)) {
        throw new AppError("VALIDATION_FAILED", { message: "Verifier ids are 1–64 of A–Z a–z 0–9 . _ -" });
      }
      const value = secret ?? randomBytes(24).toString("base64url");
      if (value.length < 16) throw new AppError("VALIDATION_FAILED", { message: "Secrets have ≥ 16 characters." });
      this.state.verifiers[clientId] = { secretSha256: sha256Hex(value) };
      await this.persist();
      return value;
    });
  }

  /** Whether the credentials belong to a registered verifier (client id optional for bearer keys). */
  checkVerifier(clientId: string | undefined, secret: string): boolean {
    const digest = Buffer.from(sha256Hex(secret), "hex");
    const entries = clientId === undefined ? Object.values(this.state.verifiers) : [this.state.verifiers[clientId]];
    return entries.some((v) => v !== undefined && timingSafeEqual(Buffer.from(v.secretSha256, "hex"), digest));
  }

  // --- registry queries --------------------------------------------------------------------

  resident(ref: string): TResident | undefined {
    return this.state.residents[ref];
  }

  private residentOrThrow(ref: string): TResident {
    const r = this.state.residents[ref];
    if (!r) throw new AppError("JLIS_RESIDENT_UNKNOWN", { details: { residentRef: ref } });
    return r;
  }

  /** The record of a certificate this J-LIS issued (status, links), by hex serial. */
  certificate(serialHex: string): TCertRecord | undefined {
    return this.state.certificates[normalizeSerial(serialHex)];
  }

  /** Every certificate record (issued, with status and links). */
  listCertificates(): TCertRecord[] {
    return Object.values(this.state.certificates);
  }

  /** Status of the certificate `serialHex` issued by `ca` (unknown if another CA issued it). */
  status(serialHex: string, ca?: SimCa): CertificateStatus {
    const record = this.certificate(serialHex);
    if (!record) return { status: "unknown" };
    if (ca && record.caId !== caId(ca.hierarchy, ca.purpose, ca.generation)) return { status: "unknown" };
    if (record.revokedAt && record.reason) {
      return { status: "revoked", record, revokedAt: new Date(record.revokedAt), reason: record.reason };
    }
    return { status: "good", record };
  }

  /** 証明書紐付け: the auth certificate issued with a signing certificate (docs/jpki.md#linking-services). */
  linkSignToAuth(signSerialHex: string): { signSerial: string; authSerial: string; tokenType: TokenType } {
    const record = this.certificate(signSerialHex);
    if (record?.purpose !== "sign" || !record.pairedAuth) {
      throw new AppError("JLIS_CERT_UNKNOWN", { details: { serial: signSerialHex } });
    }
    return { signSerial: record.serial, authSerial: record.pairedAuth, tokenType: record.tokenType };
  }

  /** 証明書新旧紐付け: the certificate that replaced this one, and the newest in the chain. */
  successorOf(serialHex: string): {
    serial: string;
    purpose: CaPurpose;
    tokenType: TokenType;
    successor: string | null;
    latest: string;
  } {
    const record = this.certificate(serialHex);
    if (!record) throw new AppError("JLIS_CERT_UNKNOWN", { details: { serial: serialHex } });
    let latest = record;
    const seen = new Set<string>();
    while (latest.successor && !seen.has(latest.serial)) {
      seen.add(latest.serial);
      const next = this.state.certificates[latest.successor];
      if (!next) break;
      latest = next;
    }
    return {
      serial: record.serial,
      purpose: record.purpose,
      tokenType: record.tokenType,
      successor: record.successor ?? null,
      latest: latest.serial,
    };
  }

  /**
   * 最新の基本4情報 (docs/jpki.md#linking-services): the current four facts of the holder of a signing certificate
   * (also a revoked one — that is the point), only if the resident consented.
   */
  latestFacts(signSerialHex: string): {
    facts: FourFacts;
    municipality: TMunicipality;
    deceased: boolean;
    currentSignSerial: string | null;
    asOf: string;
  } {
    const record = this.certificate(signSerialHex);
    if (record?.purpose !== "sign") {
      throw new AppError("JLIS_CERT_UNKNOWN", { details: { serial: signSerialHex } });
    }
    const resident = this.residentOrThrow(record.residentRef);
    if (!resident.consentToShareFacts) throw new AppError("JLIS_CONSENT_MISSING");
    const current = resident.tokens[record.tokenType]?.sign;
    const currentActive = current && !this.state.certificates[current]?.revokedAt ? current : null;
    return {
      facts: resident.facts,
      municipality: resident.municipality,
      deceased: resident.deceasedAt !== undefined,
      currentSignSerial: currentActive,
      asOf: this.clock().toISOString(),
    };
  }

  // --- lifecycle ---------------------------------------------------------------------------

  private allocateSerial(): bigint {
    const serial = BigInt(this.state.nextSerial);
    this.state.nextSerial = (serial + 1n).toString();
    return serial;
  }

  private recordCertificate(o: {
    der: Uint8Array;
    serial: bigint;
    ca: SimCa;
    resident: TResident;
    tokenType: TokenType;
    issuedAt: Date;
    notAfter: Date;
    pairedAuth?: string;
  }): string {
    const serial = o.serial.toString(16);
    this.state.certificates[serial] = {
      serial,
      caId: caId(o.ca.hierarchy, o.ca.purpose, o.ca.generation),
      purpose: o.ca.purpose,
      tokenType: o.tokenType,
      residentRef: o.resident.ref,
      municipalityCode: o.resident.municipality.code,
      issuedAt: o.issuedAt.toISOString(),
      notAfter: o.notAfter.toISOString(),
      certificate: b64(o.der),
      ...(o.pairedAuth ? { pairedAuth: o.pairedAuth } : {}),
    };
    return serial;
  }

  private async mintAuth(resident: TResident, tokenType: TokenType, issuedAt: Date): Promise<IssuedCredential> {
    const ca = this.currentCa("auth", resident.hierarchy);
    const keys = await this.newKeyPair();
    const serial = this.allocateSerial();
    const der = await issueAuthCertificate({
      ca,
      subjectPublicKey: keys.publicKey,
      serialNumber: serial,
      municipalityCode: resident.municipality.code,
      issuedAt,
      dateOfBirth: resident.facts.dateOfBirth,
      tokenType,
    });
    const notAfter = new x509.X509Certificate(der).notAfter;
    const hex = this.recordCertificate({ der, serial, ca, resident, tokenType, issuedAt, notAfter });
    return { serial: hex, certificate: der, caCertificate: ca.certificate, ...keys };
  }

  private async mintSign(
    resident: TResident,
    tokenType: TokenType,
    issuedAt: Date,
    pairedAuth: string,
  ): Promise<IssuedCredential | undefined> {
    if (ageOn(resident.facts.dateOfBirth, issuedAt) < 15) return undefined;
    const ca = this.currentCa("sign", resident.hierarchy);
    const keys = await this.newKeyPair();
    const serial = this.allocateSerial();
    const der = await issueSignCertificate({
      ca,
      subjectPublicKey: keys.publicKey,
      serialNumber: serial,
      facts: resident.facts,
      prefectureRomaji: resident.municipality.prefectureRomaji,
      municipalityRomaji: resident.municipality.municipalityRomaji,
      municipalityCode: resident.municipality.code,
      issuedAt,
      tokenType,
    });
    const notAfter = new x509.X509Certificate(der).notAfter;
    const hex = this.recordCertificate({ der, serial, ca, resident, tokenType, issuedAt, notAfter, pairedAuth });
    return { serial: hex, certificate: der, caCertificate: ca.certificate, ...keys };
  }

  private revokeRecord(serial: string | undefined, reason: RevocationReason, at: Date, out: RevokedRef[]): void {
    if (!serial) return;
    const record = this.state.certificates[serial];
    if (!record || record.revokedAt) return;
    // Whole seconds: CRL and OCSP times carry no fractions, and both must show the same instant.
    record.revokedAt = new Date(Math.floor(at.getTime() / 1000) * 1000).toISOString();
    record.reason = reason;
    this.revocationRevision++;
    out.push({ serial, purpose: record.purpose, tokenType: record.tokenType, reason });
  }

  private activeSlot(resident: TResident, tokenType: TokenType, purpose: CaPurpose): string | undefined {
    const serial = resident.tokens[tokenType]?.[purpose];
    return serial && !this.state.certificates[serial]?.revokedAt ? serial : undefined;
  }

  /**
   * Issue a token (card or mobile) to a resident: auth + sign key pairs and certificates; no
   * signing certificate under 15 (docs/jpki.md#signing-certificate). The first card registers the resident; mobile
   * tokens need an active card auth certificate, as they are issued from the card (docs/jpki.md#mobile-tokens-and-cross-device-login).
   * A token with active certificates must be renewed instead.
   */
  issueCard(o: {
    residentRef: string;
    facts: FourFacts;
    municipality: TMunicipality;
    tokenType?: TokenType;
    hierarchy?: Hierarchy;
  }): Promise<IssuedToken> {
    return this.exclusive(async () => {
      const tokenType = o.tokenType ?? "card";
      const facts = ZFourFacts.parse(o.facts);
      const municipality = ZMunicipality.parse(o.municipality);
      const now = this.clock();
      const existing = this.state.residents[o.residentRef];
      if (existing?.deceasedAt) throw new AppError("JLIS_CERT_NOT_ACTIVE", { message: "The resident is deceased." });
      const resident: TResident = existing
        ? { ...existing, facts, municipality }
        : {
            ref: o.residentRef,
            facts,
            municipality,
            hierarchy: o.hierarchy ?? "production",
            consentToShareFacts: false,
            tokens: {},
          };
      if (this.activeSlot(resident, tokenType, "auth")) {
        throw new AppError("JLIS_CERT_NOT_ACTIVE", {
          message: `The ${tokenType} token already has active certificates; renew it instead.`,
        });
      }
      if (tokenType !== "card" && !this.activeSlot(resident, "card", "auth")) {
        throw new AppError("JLIS_CERT_NOT_ACTIVE", { message: "Mobile certificates are issued from an active card." });
      }
      const auth = await this.mintAuth(resident, tokenType, now);
      const sign = await this.mintSign(resident, tokenType, now, auth.serial);
      resident.tokens[tokenType] = { auth: auth.serial, ...(sign ? { sign: sign.serial } : {}) };
      this.state.residents[resident.ref] = resident;
      await this.persist();
      return { residentRef: resident.ref, tokenType, label: TOKEN_LABELS[tokenType], auth, sign, revoked: [] };
    });
  }

  /**
   * Renew a token (更新): new key pairs and certificates; the old active ones revoked
   * `superseded` and linked old → new (docs/jpki.md#linking-services).
   */
  renew(o: { residentRef: string; tokenType?: TokenType }): Promise<IssuedToken> {
    return this.exclusive(async () => {
      const tokenType = o.tokenType ?? "card";
      const resident = this.residentOrThrow(o.residentRef);
      if (resident.deceasedAt) throw new AppError("JLIS_CERT_NOT_ACTIVE", { message: "The resident is deceased." });
      const now = this.clock();
      const oldAuth = resident.tokens[tokenType]?.auth;
      const oldSign = resident.tokens[tokenType]?.sign;
      if (!oldAuth) throw new AppError("JLIS_CERT_UNKNOWN", { message: `No ${tokenType} token to renew.` });
      const revoked: RevokedRef[] = [];
      this.revokeRecord(this.activeSlot(resident, tokenType, "auth"), "superseded", now, revoked);
      this.revokeRecord(this.activeSlot(resident, tokenType, "sign"), "superseded", now, revoked);
      const auth = await this.mintAuth(resident, tokenType, now);
      const sign = await this.mintSign(resident, tokenType, now, auth.serial);
      this.state.certificates[oldAuth]!.successor = auth.serial;
      if (oldSign && sign) this.state.certificates[oldSign]!.successor = sign.serial;
      resident.tokens[tokenType] = { auth: auth.serial, ...(sign ? { sign: sign.serial } : {}) };
      await this.persist();
      return { residentRef: resident.ref, tokenType, label: TOKEN_LABELS[tokenType], auth, sign, revoked };
    });
  }

  /** A lost card or phone (紛失): both certificates of the token revoked `keyCompromise`. */
  reportLost(o: { residentRef: string; tokenType?: TokenType }): Promise<{ revoked: RevokedRef[] }> {
    return this.exclusive(async () => {
      const tokenType = o.tokenType ?? "card";
      const resident = this.residentOrThrow(o.residentRef);
      const revoked: RevokedRef[] = [];
      const now = this.clock();
      this.revokeRecord(this.activeSlot(resident, tokenType, "auth"), "keyCompromise", now, revoked);
      this.revokeRecord(this.activeSlot(resident, tokenType, "sign"), "keyCompromise", now, revoked);
      await this.persist();
      return { revoked };
    });
  }

  /**
   * A change of any of the four facts (move, name change; docs/jpki.md#signing-certificate): every active signing
   * certificate of the resident is revoked `affiliationChanged` (the auth certificates are not);
   * a new signing certificate is issued for `reissueFor` (default the card) and linked old → new.
   * Mobile signing certificates are re-applied for on the phone, so they are only revoked.
   */
  changeFacts(o: {
    residentRef: string;
    facts?: Partial<FourFacts>;
    municipality?: TMunicipality;
    reissueFor?: TokenType;
  }): Promise<{ sign?: IssuedCredential; tokenType: TokenType; label: string; revoked: RevokedRef[] }> {
    return this.exclusive(async () => {
      const resident = this.residentOrThrow(o.residentRef);
      if (resident.deceasedAt) throw new AppError("JLIS_CERT_NOT_ACTIVE", { message: "The resident is deceased." });
      const tokenType = o.reissueFor ?? "card";
      resident.facts = ZFourFacts.parse({ ...resident.facts, ...o.facts });
      if (o.municipality) resident.municipality = ZMunicipality.parse(o.municipality);
      const now = this.clock();
      const revoked: RevokedRef[] = [];
      const previous = resident.tokens[tokenType]?.sign;
      for (const t of Object.keys(resident.tokens) as TokenType[]) {
        this.revokeRecord(this.activeSlot(resident, t, "sign"), "affiliationChanged", now, revoked);
      }
      const auth = this.activeSlot(resident, tokenType, "auth");
      let sign: IssuedCredential | undefined;
      if (auth) {
        sign = await this.mintSign(resident, tokenType, now, auth);
        if (sign) {
          if (previous) this.state.certificates[previous]!.successor = sign.serial;
          resident.tokens[tokenType] = { ...resident.tokens[tokenType], sign: sign.serial };
        }
      }
      await this.persist();
      return { sign, tokenType, label: TOKEN_LABELS[tokenType], revoked };
    });
  }

  /** Death (死亡): every active certificate of every token revoked. */
  death(o: { residentRef: string }): Promise<{ revoked: RevokedRef[] }> {
    return this.exclusive(async () => {
      const resident = this.residentOrThrow(o.residentRef);
      const now = this.clock();
      const revoked: RevokedRef[] = [];
      for (const t of Object.keys(resident.tokens) as TokenType[]) {
        // The signing certificate falls with the four facts; the auth certificate is no longer needed.
        this.revokeRecord(this.activeSlot(resident, t, "sign"), "affiliationChanged", now, revoked);
        this.revokeRecord(this.activeSlot(resident, t, "auth"), "cessationOfOperation", now, revoked);
      }
      resident.deceasedAt = now.toISOString();
      await this.persist();
      return { revoked };
    });
  }

  /** Revoke one certificate with an explicit reason (e.g. certificateHold, cACompromise). */
  revoke(o: { serialHex: string; reason: RevocationReason }): Promise<{ revoked: RevokedRef[] }> {
    return this.exclusive(async () => {
      const serial = normalizeSerial(o.serialHex);
      const record = this.state.certificates[serial];
      if (!record) throw new AppError("JLIS_CERT_UNKNOWN", { details: { serial } });
      if (record.revokedAt) throw new AppError("JLIS_CERT_NOT_ACTIVE", { details: { serial } });
      const revoked: RevokedRef[] = [];
      this.revokeRecord(serial, o.reason, this.clock(), revoked);
      await this.persist();
      return { revoked };
    });
  }

  /** Record (or withdraw) the resident's consent to give verifiers the latest four facts. */
  setConsent(o: { residentRef: string; consent: boolean }): Promise<void> {
    return this.exclusive(async () => {
      this.residentOrThrow(o.residentRef).consentToShareFacts = o.consent;
      await this.persist();
    });
  }

  // --- CRLs ------------------------------------------------------------------------------

  private scopeCa(scope: CrlScope): LoadedCa {
    const generation = scope.generation ?? this.currentCa(scope.purpose, scope.hierarchy).generation;
    const l = this.loaded.get(caId(scope.hierarchy, scope.purpose, generation));
    if (!l) throw new AppError("NOT_FOUND", { message: `No ${scope.hierarchy} ${scope.purpose} CA ${generation}.` });
    return l;
  }

  /** Stable id of a scope, also its relative publication path. */
  crlScopeId(scope: CrlScope): string {
    const l = this.scopeCa(scope);
    const hierarchy = scope.hierarchy === "test" ? "test/" : "";
    if (scope.arl) return `${hierarchy}arl/${scope.purpose}-${l.record.generation}.crl`;
    const prefix = `${hierarchy}gen${l.record.generation}/`;
    if (scope.municipalityCode) return `${prefix}${scope.purpose}/${scope.municipalityCode}.crl`;
    return `${prefix}${scope.purpose}.crl`;
  }

  /**
   * The CRL of a scope: cached; rebuilt when older than its refresh period (half the validity)
   * or, unless disabled, after a revocation. Each build takes the next cRLNumber of the scope.
   */
  crl(scope: CrlScope): Promise<PublishedCrl> {
    const scopeId = this.crlScopeId(scope);
    const cached = this.crlCache.get(scopeId);
    const now = this.clock();
    if (
      cached &&
      now.getTime() - cached.thisUpdate.getTime() < this.crlValidityMs / 2 &&
      now.getTime() >= cached.thisUpdate.getTime() &&
      (!this.crlRebuildOnRevocation || cached.revision === this.revocationRevision)
    ) {
      return Promise.resolve(cached);
    }
    return this.exclusive(() => this.buildScopeCrl(scope, scopeId));
  }

  private async buildScopeCrl(scope: CrlScope, scopeId: string): Promise<PublishedCrl> {
    const l = this.scopeCa(scope);
    const now = this.clock();
    const crlNumber = BigInt(this.state.crlNumbers[scopeId] ?? "0") + 1n;
    this.state.crlNumbers[scopeId] = crlNumber.toString();
    const revision = this.revocationRevision;
    const entries = scope.arl
      ? []
      : Object.values(this.state.certificates)
          .filter(
            (r) =>
              r.caId === l.record.id &&
              r.revokedAt &&
              r.reason &&
              // Expired certificates leave the CRL (RFC 5280 §3.3).
              new Date(r.notAfter).getTime() >= now.getTime() &&
              (!scope.municipalityCode || r.municipalityCode === scope.municipalityCode),
          )
          .map((r) => ({
            serialNumber: BigInt(`0x${r.serial}`),
            revokedAt: new Date(r.revokedAt!),
            reason: r.reason!,
          }));
    const partition = scope.municipalityCode ? this.partitionName(l, scope.municipalityCode) : undefined;
    const nextUpdate = new Date(now.getTime() + this.crlValidityMs);
    const der = await buildCrl({
      ca: l.ca,
      entries,
      thisUpdate: now,
      nextUpdate,
      crlNumber,
      issuingDistributionPoint: partition,
      onlyContainsUserCerts: scope.municipalityCode ? true : undefined,
      onlyContainsCACerts: scope.arl ? true : undefined,
    });
    await this.persist();
    const published = { der, thisUpdate: now, nextUpdate, crlNumber, scopeId, revision };
    this.crlCache.set(scopeId, published);
    return published;
  }

  /** The DirName of a municipality partition, from the romaji names the certificates carried. */
  private partitionName(l: LoadedCa, municipalityCode: string) {
    if (l.record.purpose !== "sign") {
      throw new AppError("NOT_FOUND", { message: "Only signing CRLs are partitioned by municipality." });
    }
    const known = this.knownMunicipalities(l.record.hierarchy).get(municipalityCode);
    if (!known) throw new AppError("NOT_FOUND", { message: `No municipality ${municipalityCode} in the registry.` });
    return signCrlDistributionPointName({ hierarchy: l.record.hierarchy, ...known });
  }

  private knownMunicipalities(hierarchy: Hierarchy): Map<string, TMunicipality> {
    const out = new Map<string, TMunicipality>();
    for (const r of Object.values(this.state.residents)) {
      if (r.hierarchy === hierarchy && !out.has(r.municipality.code)) out.set(r.municipality.code, r.municipality);
    }
    return out;
  }

  /** Every CRL scope there is: full and ARL per CA, plus a partition per known municipality. */
  crlScopes(): CrlScope[] {
    const scopes: CrlScope[] = [];
    for (const l of this.loaded.values()) {
      const base = { hierarchy: l.record.hierarchy, purpose: l.record.purpose, generation: l.record.generation };
      scopes.push(base, { ...base, arl: true });
      if (l.record.purpose === "sign") {
        for (const code of this.knownMunicipalities(l.record.hierarchy).keys()) {
          scopes.push({ ...base, municipalityCode: code });
        }
      }
    }
    return scopes;
  }

  /** Describe every scope: path, issuer, and for partitions the CRL DP DirName it answers. */
  crlIndex(): { path: string; hierarchy: Hierarchy; purpose: CaPurpose; generation: number; dirName?: string }[] {
    return this.crlScopes().map((s) => {
      const l = this.scopeCa(s);
      const dp = s.municipalityCode ? this.partitionName(l, s.municipalityCode) : undefined;
      return {
        path: this.crlScopeId(s),
        hierarchy: s.hierarchy,
        purpose: s.purpose,
        generation: l.record.generation,
        ...(dp ? { dirName: new x509.Name(dp).toString() } : {}),
      };
    });
  }

  /** Rebuild every CRL now (the daily publication) and write them to the store under `crl/`. */
  async publishCrls(): Promise<PublishedCrl[]> {
    const out: PublishedCrl[] = [];
    for (const scope of this.crlScopes()) {
      const scopeId = this.crlScopeId(scope);
      const crl = await this.exclusive(() => this.buildScopeCrl(scope, scopeId));
      await this.store.writeArtifact(`crl/${scopeId}`, crl.der);
      out.push(crl);
    }
    return out;
  }

  /** Publish all CRLs every `intervalMs` (J-LIS publishes daily) until {@link stopCrlSchedule}. */
  startCrlSchedule(intervalMs: number, onError: (e: unknown) => void = () => {}): void {
    this.stopCrlSchedule();
    this.crlTimer = setInterval(() => {
      this.publishCrls().catch(onError);
    }, intervalMs);
    this.crlTimer.unref();
  }

  stopCrlSchedule(): void {
    if (this.crlTimer) clearInterval(this.crlTimer);
    this.crlTimer = undefined;
  }
}
