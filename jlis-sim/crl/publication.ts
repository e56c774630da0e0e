/**
 * CRLs of the simulated J-LIS (docs/jpki.md#revocation, RFC 5280 §5): one scope per CA (full CRL and ARL) plus a
 * partition per municipality for the signing CAs (matching the certificates' CRL distribution
 * point), each with its own cRLNumber. A scope's CRL is built on request and cached, rebuilt when
 * older than half its validity or (unless disabled) after a revocation; `publishCrls` rebuilds and
 * writes every scope (the daily publication) and `startCrlSchedule` repeats it.
 */
import * as x509 from "@peculiar/x509";
import { AppError } from "@/lib/errors/app-error";
import { buildCrl } from "../ca/ca";
import { type CaPurpose, type Hierarchy, signCrlDistributionPointName } from "../ca/profiles";
import { caId, type JlisCore, type LoadedCa } from "../core/jlis-core";
import type { TMunicipality } from "../store";

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

export type CrlPublicationOptions = {
  /** nextUpdate − thisUpdate; J-LIS refreshes daily (docs/jpki.md#revocation). */
  crlValidityMs: number;
  /** Rebuild a cached CRL on request when a revocation happened since it was built. */
  crlRebuildOnRevocation: boolean;
};

export class CrlPublication {
  private readonly cache = new Map<string, PublishedCrl & { revision: number }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly core: JlisCore,
    private readonly options: CrlPublicationOptions,
  ) {}

  private scopeCa(scope: CrlScope): LoadedCa {
    const generation = scope.generation ?? this.core.currentLoaded(scope.purpose, scope.hierarchy).record.generation;
    const l = this.core.loaded.get(caId(scope.hierarchy, scope.purpose, generation));
    if (!l) throw new AppError("NOT_FOUND", { message: `No ${scope.hierarchy} ${scope.purpose} CA ${generation}.` });
    return l;
  }

  /** Stable id of a scope, also its relative publication path. */
  scopeId(scope: CrlScope): string {
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
    const scopeId = this.scopeId(scope);
    const cached = this.cache.get(scopeId);
    const now = this.core.clock();
    if (
      cached &&
      now.getTime() - cached.thisUpdate.getTime() < this.options.crlValidityMs / 2 &&
      now.getTime() >= cached.thisUpdate.getTime() &&
      (!this.options.crlRebuildOnRevocation || cached.revision === this.core.revocationRevision)
    ) {
      return Promise.resolve(cached);
    }
    return this.core.exclusive(() => this.build(scope, scopeId));
  }

  private async build(scope: CrlScope, scopeId: string): Promise<PublishedCrl> {
    const l = this.scopeCa(scope);
    const state = this.core.state;
    const now = this.core.clock();
    const crlNumber = BigInt(state.crlNumbers[scopeId] ?? "0") + 1n;
    state.crlNumbers[scopeId] = crlNumber.toString();
    const revision = this.core.revocationRevision;
    const entries = scope.arl
      ? []
      : Object.values(state.certificates)
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
    const nextUpdate = new Date(now.getTime() + this.options.crlValidityMs);
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
    await this.core.persist();
    const published = { der, thisUpdate: now, nextUpdate, crlNumber, scopeId, revision };
    this.cache.set(scopeId, published);
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
    for (const r of Object.values(this.core.state.residents)) {
      if (r.hierarchy === hierarchy && !out.has(r.municipality.code)) out.set(r.municipality.code, r.municipality);
    }
    return out;
  }

  /** Every CRL scope there is: full and ARL per CA, plus a partition per known municipality. */
  scopes(): CrlScope[] {
    const scopes: CrlScope[] = [];
    for (const l of this.core.loaded.values()) {
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
  index(): { path: string; hierarchy: Hierarchy; purpose: CaPurpose; generation: number; dirName?: string }[] {
    return this.scopes().map((s) => {
      const l = this.scopeCa(s);
      const dp = s.municipalityCode ? this.partitionName(l, s.municipalityCode) : undefined;
      return {
        path: this.scopeId(s),
        hierarchy: s.hierarchy,
        purpose: s.purpose,
        generation: l.record.generation,
        ...(dp ? { dirName: new x509.Name(dp).toString() } : {}),
      };
    });
  }

  /** Rebuild every CRL now (the daily publication) and write them to the store under `crl/`. */
  async publish(): Promise<PublishedCrl[]> {
    const out: PublishedCrl[] = [];
    for (const scope of this.scopes()) {
      const scopeId = this.scopeId(scope);
      const crl = await this.core.exclusive(() => this.build(scope, scopeId));
      await this.core.store.writeArtifact(`crl/${scopeId}`, crl.der);
      out.push(crl);
    }
    return out;
  }

  /** Publish all CRLs every `intervalMs` until {@link stopSchedule}. */
  startSchedule(intervalMs: number, onError: (e: unknown) => void = () => {}): void {
    this.stopSchedule();
    this.timer = setInterval(() => {
      this.publish().catch(onError);
    }, intervalMs);
    this.timer.unref();
  }

  stopSchedule(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
