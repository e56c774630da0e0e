/**
 * The certification authorities of the simulated J-LIS (docs/jpki.md#roots-and-hierarchies, docs/jpki.md#simulation-decisions): root CAs per purpose in
 * two or more production generations plus the O=JPKI-TEST hierarchy, each with a delegated OCSP
 * responder certificate (one responder key for all). Creating them, loading them from saved
 * state, keeping the responder certificates current, and finding a CA.
 */
import { createHash, randomBytes } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { AppError } from "@/lib/errors/app-error";
import { createRootCa, generateRsaKeyPair, issueOcspResponderCertificate, RSA_SHA256, type SimCa } from "../ca/ca";
import { type CaPurpose, caName, type Hierarchy } from "../ca/profiles";
import { nameDer } from "../names";
import { JLIS_STATE_FORMAT, type JlisStore, type TCaRecord, type TJlisState } from "../store";
import { b64, caId, DAY, type JlisCore, type LoadedCa, unb64, YEAR } from "./jlis-core";

export type CreateAuthoritiesOptions = {
  /** Production generations per purpose (≥ 2; default 2). The newest one issues. */
  generations?: number;
  /** Also create the O=JPKI-TEST hierarchy (default true). */
  testHierarchy?: boolean;
  /** First certificate serial; default random, so two simulators never share serials. */
  serialStart?: bigint;
  /** Reuse key pairs (tests: RSA key generation is slow). Taken in order, then generated. */
  keyPool?: CryptoKeyPair[];
};

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

/**
 * Create fresh CAs, the OCSP responder and an empty registry; save the state and write the trust
 * anchors (`ca/<id>.cer`) and responder certificates (`ocsp/<id>.cer`).
 */
export async function createAuthorities(store: JlisStore, now: Date, o: CreateAuthoritiesOptions): Promise<TJlisState> {
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
  return state;
}

/** The CAs of saved state with their keys and CertID hashes, and the responder's signing key. */
export async function loadAuthorities(
  state: TJlisState,
): Promise<{ loaded: Map<string, LoadedCa>; responderKey: CryptoKey }> {
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
  return { loaded, responderKey: await importPrivateKey(unb64(state.responder.privateKey)) };
}

/**
 * Re-issue delegated responder certificates that expire within 30 days (a long-lived data
 * directory would otherwise start answering OCSP with an expired responder).
 */
export function renewResponderCertificates(core: JlisCore): Promise<number> {
  return core.exclusive(async () => {
    const now = core.clock();
    const spki = unb64(core.state.responder.publicKey);
    const publicKey = await importPublicKey(spki);
    let renewed = 0;
    for (const l of core.loaded.values()) {
      const current = new x509.X509Certificate(new Uint8Array(l.responderCertificate));
      if (current.notAfter.getTime() - now.getTime() > 30 * DAY) continue;
      const caCert = new x509.X509Certificate(new Uint8Array(l.ca.certificate));
      if (caCert.notAfter.getTime() <= now.getTime()) continue; // an expired root certifies nothing
      const certificate = await issueOcspResponderCertificate({
        ca: l.ca,
        subjectPublicKey: publicKey,
        serialNumber: core.allocateSerial(),
        notBefore: new Date(now.getTime() - DAY),
        notAfter: new Date(Math.min(now.getTime() + 2 * YEAR, caCert.notAfter.getTime())),
      });
      l.responderCertificate = certificate;
      l.record.responderCertificate = b64(certificate);
      const record = core.state.cas.find((c) => c.id === l.record.id);
      if (record) record.responderCertificate = l.record.responderCertificate;
      await core.store.writeArtifact(`ocsp/${l.record.id}.cer`, certificate);
      renewed++;
    }
    if (renewed > 0) await core.persist();
    return renewed;
  });
}

/** A CA by purpose and generation. */
export function caOf(core: JlisCore, purpose: CaPurpose, generation: number, hierarchy: Hierarchy): SimCa | undefined {
  return core.loaded.get(caId(hierarchy, purpose, generation))?.ca;
}

/** Root certificates (DER) to configure as trust anchors. */
export function trustAnchorsOf(core: JlisCore, filter: { purpose?: CaPurpose; hierarchy?: Hierarchy }): Uint8Array[] {
  return core
    .cas()
    .filter((c) => (filter.purpose ?? c.purpose) === c.purpose && (filter.hierarchy ?? c.hierarchy) === c.hierarchy)
    .map((c) => c.certificate);
}

/** The delegated OCSP responder certificate for `ca` (RFC 6960 §4.2.2.2). */
export function responderOf(core: JlisCore, ca: SimCa): { certificate: Uint8Array; privateKey: CryptoKey } {
  const l = core.loaded.get(caId(ca.hierarchy, ca.purpose, ca.generation));
  if (!l) throw new AppError("JLIS_NOT_INITIALIZED");
  return { certificate: l.responderCertificate, privateKey: core.responderKey };
}

/** The CA an OCSP CertID names (RFC 6960 §4.1.1), matched by name and key hash. */
export function caByCertIdHashes(
  core: JlisCore,
  hash: "SHA-1" | "SHA-256",
  nameHashHex: string,
  keyHashHex: string,
): SimCa | undefined {
  for (const l of core.loaded.values()) {
    if (l.hashes[hash].name === nameHashHex && l.hashes[hash].key === keyHashHex) return l.ca;
  }
  return undefined;
}
