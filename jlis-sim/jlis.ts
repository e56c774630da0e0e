/**
 * The stateful simulated J-LIS (地方公共団体情報システム機構), as one object: root CAs in two or
 * more generations plus the O=JPKI-TEST hierarchy, a delegated OCSP responder, the certificates it
 * issued with their status, and the linking records (docs/jpki.md#revocation, docs/jpki.md#simulation-decisions). This file is the facade;
 * the work is done by
 *
 * - ./core/jlis-core.ts (state, store, serialized operations, serials) and ./core/authority.ts (CAs);
 * - ./cards/lifecycle.ts: issue, renew, lost, change of facts, death, revoke, consent;
 * - ./links/links.ts: 証明書紐付け, 証明書新旧紐付け, the latest four facts;
 * - ./crl/publication.ts: CRL scopes, cRLNumbers, the cache, publication and its schedule;
 * - ./verifiers/registry.ts: registered verifiers.
 *
 * J-LIS never holds a holder's private key: the operations return the new keys to the caller,
 * who writes them into a virtual card.
 */
import "reflect-metadata";
import { AppError } from "@/lib/errors/app-error";
import type { FourFacts, SimCa } from "./ca/ca";
import { generateRsaKeyPair } from "./ca/ca";
import type { RevocationReason } from "./ca/crl";
import type { CaPurpose, Hierarchy, TokenType } from "./ca/profiles";
import { CardLifecycle, type IssuedCredential, type IssuedToken, type RevokedRef } from "./cards/lifecycle";
import {
  type CreateAuthoritiesOptions,
  caByCertIdHashes,
  caOf,
  createAuthorities,
  loadAuthorities,
  renewResponderCertificates,
  responderOf,
  trustAnchorsOf,
} from "./core/authority";
import { type CertificateStatus, type Clock, DAY, JlisCore } from "./core/jlis-core";
import { CrlPublication, type CrlScope, type PublishedCrl } from "./crl/publication";
import { latestFacts, linkSignToAuth, successorOf } from "./links/links";
import type { JlisStore, TCertRecord, TJlisState, TMunicipality, TResident } from "./store";
import { checkVerifier, registerVerifier } from "./verifiers/registry";

export type { CertificateStatus, Clock } from "./core/jlis-core";
export { normalizeSerial } from "./core/jlis-core";
export type { IssuedCredential, IssuedToken, RevokedRef } from "./cards/lifecycle";
export type { CrlScope, PublishedCrl } from "./crl/publication";

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

export type InitializeJlisOptions = SimulatedJlisOptions & CreateAuthoritiesOptions;

/**
 * The simulated J-LIS. Create with {@link SimulatedJlis.initialize} (new CAs) or
 * {@link SimulatedJlis.open} (existing state). All mutating operations are serialized and
 * saved to the store before they return.
 */
export class SimulatedJlis {
  readonly ocspValidityMs: number;
  private readonly cards: CardLifecycle;
  private readonly crls: CrlPublication;

  private constructor(
    private readonly core: JlisCore,
    options: SimulatedJlisOptions,
  ) {
    this.ocspValidityMs = options.ocspValidityMs ?? 10 * 60 * 1000;
    this.cards = new CardLifecycle(core, options.generateKeyPair ?? generateRsaKeyPair);
    this.crls = new CrlPublication(core, {
      crlValidityMs: options.crlValidityMs ?? DAY,
      crlRebuildOnRevocation: options.crlRebuildOnRevocation ?? true,
    });
  }

  /** Create fresh CAs, the OCSP responder and an empty registry, and save them. */
  static async initialize(store: JlisStore, o: InitializeJlisOptions = {}): Promise<SimulatedJlis> {
    const clock = o.clock ?? (() => new Date());
    const state = await createAuthorities(store, clock(), o);
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

  private static async fromState(store: JlisStore, state: TJlisState, o: SimulatedJlisOptions): Promise<SimulatedJlis> {
    const { loaded, responderKey } = await loadAuthorities(state);
    const core = new JlisCore(store, state, loaded, responderKey, o.clock ?? (() => new Date()));
    await core.markLoaded();
    return new SimulatedJlis(core, o);
  }

  /**
   * Re-issue delegated responder certificates that expire within 30 days (a long-lived data
   * directory would otherwise start answering OCSP with an expired responder).
   */
  renewResponderCertificates(): Promise<number> {
    return renewResponderCertificates(this.core);
  }

  /** Current time of this simulator's clock. */
  now(): Date {
    return this.core.clock();
  }

  /** Pick up changes another process saved (the HTTP handler calls this per request). */
  syncFromStore(): Promise<void> {
    return this.core.exclusive(async () => {});
  }

  // --- CAs -------------------------------------------------------------------------------

  /** All CAs (every generation, both hierarchies). */
  cas(): SimCa[] {
    return this.core.cas();
  }

  /** The CA of a purpose that issues new certificates (newest generation). */
  currentCa(purpose: CaPurpose, hierarchy: Hierarchy = "production"): SimCa {
    return this.core.currentLoaded(purpose, hierarchy).ca;
  }

  /** A CA by purpose and generation. */
  ca(purpose: CaPurpose, generation: number, hierarchy: Hierarchy = "production"): SimCa | undefined {
    return caOf(this.core, purpose, generation, hierarchy);
  }

  /** Root certificates (DER) to configure as trust anchors. */
  trustAnchors(filter: { purpose?: CaPurpose; hierarchy?: Hierarchy } = {}): Uint8Array[] {
    return trustAnchorsOf(this.core, filter);
  }

  /** The delegated OCSP responder certificate for `ca` (RFC 6960 §4.2.2.2). */
  responderFor(ca: SimCa): { certificate: Uint8Array; privateKey: CryptoKey } {
    return responderOf(this.core, ca);
  }

  /** The CA an OCSP CertID names (RFC 6960 §4.1.1), matched by name and key hash. */
  caByCertIdHashes(hash: "SHA-1" | "SHA-256", nameHashHex: string, keyHashHex: string): SimCa | undefined {
    return caByCertIdHashes(this.core, hash, nameHashHex, keyHashHex);
  }

  // --- verifiers (./verifiers/registry.ts) -----------------------------------------------------

  /**
   * Register a verifier (署名検証者 / 利用者証明検証者, docs/jpki.md#registered-verifiers) and return its secret.
   * Only registered verifiers may use the revocation, linking and facts endpoints.
   */
  registerVerifier(clientId: string, secret?: string): Promise<string> {
    return registerVerifier(this.core, clientId, secret);
  }

  /** Whether the credentials belong to a registered verifier (client id optional for bearer keys). */
  checkVerifier(clientId: string | undefined, secret: string): boolean {
    return checkVerifier(this.core, clientId, secret);
  }

  // --- registry queries, links and facts (./links/links.ts) ------------------------------------

  resident(ref: string): TResident | undefined {
    return this.core.resident(ref);
  }

  /** The record of a certificate this J-LIS issued (status, links), by hex serial. */
  certificate(serialHex: string): TCertRecord | undefined {
    return this.core.certificate(serialHex);
  }

  /** Every certificate record (issued, with status and links). */
  listCertificates(): TCertRecord[] {
    return Object.values(this.core.state.certificates);
  }

  /** Status of the certificate `serialHex` issued by `ca` (unknown if another CA issued it). */
  status(serialHex: string, ca?: SimCa): CertificateStatus {
    return this.core.status(serialHex, ca);
  }

  /** 証明書紐付け: the auth certificate issued with a signing certificate (docs/jpki.md#revocation). */
  linkSignToAuth(signSerialHex: string): ReturnType<typeof linkSignToAuth> {
    return linkSignToAuth(this.core, signSerialHex);
  }

  /** 証明書新旧紐付け: the certificate that replaced this one, and the newest in the chain. */
  successorOf(serialHex: string): ReturnType<typeof successorOf> {
    return successorOf(this.core, serialHex);
  }

  /** 最新の基本4情報 (docs/jpki.md#revocation): the holder's current four facts, only with their consent. */
  latestFacts(signSerialHex: string): ReturnType<typeof latestFacts> {
    return latestFacts(this.core, signSerialHex);
  }

  // --- lifecycle (./cards/lifecycle.ts) --------------------------------------------------------

  /** Issue a card or mobile token: auth + sign (none under 15); mobile tokens need an active card. */
  issueCard(o: {
    residentRef: string;
    facts: FourFacts;
    municipality: TMunicipality;
    tokenType?: TokenType;
    hierarchy?: Hierarchy;
  }): Promise<IssuedToken> {
    return this.cards.issueCard(o);
  }

  /** Renew a token (更新): new keys, the old certificates revoked `superseded`, linked old → new. */
  renew(o: { residentRef: string; tokenType?: TokenType }): Promise<IssuedToken> {
    return this.cards.renew(o);
  }

  /** A lost card or phone (紛失): both certificates of the token revoked `keyCompromise`. */
  reportLost(o: { residentRef: string; tokenType?: TokenType }): Promise<{ revoked: RevokedRef[] }> {
    return this.cards.reportLost(o);
  }

  /** A change of the four facts: signing certificates revoked `affiliationChanged`, one re-issued. */
  changeFacts(o: {
    residentRef: string;
    facts?: Partial<FourFacts>;
    municipality?: TMunicipality;
    reissueFor?: TokenType;
  }): Promise<{ sign?: IssuedCredential; tokenType: TokenType; label: string; revoked: RevokedRef[] }> {
    return this.cards.changeFacts(o);
  }

  /** Death (死亡): every active certificate of every token revoked. */
  death(o: { residentRef: string }): Promise<{ revoked: RevokedRef[] }> {
    return this.cards.death(o);
  }

  /** Revoke one certificate with an explicit reason (e.g. certificateHold, cACompromise). */
  revoke(o: { serialHex: string; reason: RevocationReason }): Promise<{ revoked: RevokedRef[] }> {
    return this.cards.revoke(o);
  }

  /** Record (or withdraw) the resident's consent to give verifiers the latest four facts. */
  setConsent(o: { residentRef: string; consent: boolean }): Promise<void> {
    return this.cards.setConsent(o);
  }

  // --- CRLs (./crl/publication.ts) -------------------------------------------------------------

  /** Stable id of a scope, also its relative publication path. */
  crlScopeId(scope: CrlScope): string {
    return this.crls.scopeId(scope);
  }

  /** The CRL of a scope (cached; rebuilt when due or, unless disabled, after a revocation). */
  crl(scope: CrlScope): Promise<PublishedCrl> {
    return this.crls.crl(scope);
  }

  /** Every CRL scope there is: full and ARL per CA, plus a partition per known municipality. */
  crlScopes(): CrlScope[] {
    return this.crls.scopes();
  }

  /** Describe every scope: path, issuer, and for partitions the CRL DP DirName it answers. */
  crlIndex(): ReturnType<CrlPublication["index"]> {
    return this.crls.index();
  }

  /** Rebuild every CRL now (the daily publication) and write them to the store under `crl/`. */
  publishCrls(): Promise<PublishedCrl[]> {
    return this.crls.publish();
  }

  /** Publish all CRLs every `intervalMs` (J-LIS publishes daily) until {@link stopCrlSchedule}. */
  startCrlSchedule(intervalMs: number, onError: (e: unknown) => void = () => {}): void {
    this.crls.startSchedule(intervalMs, onError);
  }

  stopCrlSchedule(): void {
    this.crls.stopSchedule();
  }
}
