/**
 * The shared core of the simulated J-LIS: the saved state (TJlisState) and its store, the loaded
 * CAs, the clock, serial numbers, and the one queue every mutating operation runs through. The
 * card lifecycle, the links and facts, the CRLs and the verifier registry (../cards, ../links,
 * ../crl, ../verifiers) all work on one core; ../jlis.ts puts them behind `SimulatedJlis`.
 */
import { canonicalSerial } from "../../lib/jpki/serial";
import { AppError } from "@/lib/errors/app-error";
import type { RevocationReason } from "../ca/crl";
import type { CaPurpose, Hierarchy } from "../ca/profiles";
import type { SimCa } from "../ca/ca";
import type { JlisStore, TCaRecord, TCertRecord, TJlisState, TResident } from "../store";

export const DAY = 24 * 60 * 60 * 1000;
export const YEAR = 365 * DAY;

/** A clock; tests pass a fixed one. */
export type Clock = () => Date;

/** Hashes that identify an issuer in an OCSP CertID (RFC 6960 §4.1.1), per hash algorithm. */
export type IssuerHashes = Record<"SHA-1" | "SHA-256", { name: string; key: string }>;

/** A CA with its keys, its delegated OCSP responder certificate and its CertID hashes. */
export type LoadedCa = { record: TCaRecord; ca: SimCa; responderCertificate: Uint8Array; hashes: IssuerHashes };

/** Status of one certificate as J-LIS knows it. */
export type CertificateStatus =
  | { status: "good"; record: TCertRecord }
  | { status: "revoked"; record: TCertRecord; revokedAt: Date; reason: RevocationReason }
  | { status: "unknown" };

export function caId(hierarchy: Hierarchy, purpose: CaPurpose, generation: number): string {
  return `${hierarchy}-${purpose}-${String(generation).padStart(2, "0")}`;
}

/** The one serial form (lib/jpki/serial.ts), for at most 20 octets (RFC 5280 §4.1.2.2). */
export function normalizeSerial(hex: string): string {
  if (!/^[0-9a-fA-F]{1,40}$/.test(hex)) {
    throw new AppError("VALIDATION_FAILED", { message: `Not a hexadecimal serial number: ${hex}` });
  }
  return canonicalSerial(hex);
}

export const b64 = (data: Uint8Array | ArrayBuffer) =>
  Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data).toString("base64");
export const unb64 = (text: string) => new Uint8Array(Buffer.from(text, "base64"));
export { sha256Hex } from "../../lib/crypto/sha256";

export class JlisCore {
  /** Bumped by every revocation (and reload): a cached CRL built at an older revision is stale. */
  revocationRevision = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private storeVersion: string | undefined;

  constructor(
    readonly store: JlisStore,
    /** The current state; replaced when another process saved a newer one (always read it from here). */
    public state: TJlisState,
    readonly loaded: Map<string, LoadedCa>,
    readonly responderKey: CryptoKey,
    readonly clock: Clock,
  ) {}

  /** Remember the store's version the state was loaded at. */
  async markLoaded(): Promise<void> {
    this.storeVersion = await this.store.version?.();
  }

  /**
   * Serialize an operation. Each starts from the latest saved state, so a CLI in another process
   * and a running server can share one data directory (last writer wins per operation).
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const body = async () => {
      await this.reloadIfChanged();
      return fn();
    };
    const run = this.queue.then(body, body);
    this.queue = run.catch(() => undefined);
    return run;
  }

  async persist(): Promise<void> {
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

  allocateSerial(): bigint {
    const serial = BigInt(this.state.nextSerial);
    this.state.nextSerial = (serial + 1n).toString();
    return serial;
  }

  // --- CAs -------------------------------------------------------------------------------

  /** All CAs (every generation, both hierarchies). */
  cas(): SimCa[] {
    return [...this.loaded.values()].map((l) => l.ca);
  }

  /** The loaded CA of a purpose that issues new certificates (newest generation). */
  currentLoaded(purpose: CaPurpose, hierarchy: Hierarchy = "production"): LoadedCa {
    const candidates = [...this.loaded.values()].filter(
      (l) => l.record.purpose === purpose && l.record.hierarchy === hierarchy,
    );
    const newest = candidates.sort((a, b) => b.record.generation - a.record.generation)[0];
    if (!newest) throw new AppError("JLIS_NOT_INITIALIZED", { message: `No ${hierarchy} ${purpose} CA.` });
    return newest;
  }

  // --- registry reads --------------------------------------------------------------------

  resident(ref: string): TResident | undefined {
    return this.state.residents[ref];
  }

  residentOrThrow(ref: string): TResident {
    const r = this.state.residents[ref];
    if (!r) throw new AppError("JLIS_RESIDENT_UNKNOWN", { details: { residentRef: ref } });
    return r;
  }

  /** The record of a certificate this J-LIS issued (status, links), by hex serial. */
  certificate(serialHex: string): TCertRecord | undefined {
    return this.state.certificates[normalizeSerial(serialHex)];
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
}
