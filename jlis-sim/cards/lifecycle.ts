/**
 * The card lifecycle for a registry resident (docs/jpki.md#signing-certificate, docs/jpki.md#revocation, docs/jpki.md#simulation-decisions):
 * - issueCard: auth + sign key pairs and certificates (no sign certificate under 15);
 * - renew: new pairs, the old ones revoked `superseded`, old → new links;
 * - reportLost: both revoked `keyCompromise`;
 * - changeFacts: signing certificates only, revoked `affiliationChanged`, a new one issued;
 * - death: every certificate revoked (sign `affiliationChanged`, auth `cessationOfOperation`);
 * - revoke: one certificate with an explicit reason; setConsent: the latest-facts consent.
 * Mobile tokens (Android, iPhone) get their own key pairs and serials under the same roots.
 *
 * J-LIS never holds a holder's private key: the operations return the new keys to the caller,
 * who writes them into a virtual card.
 */
import * as x509 from "@peculiar/x509";
import { AppError } from "@/lib/errors/app-error";
import { type FourFacts, issueAuthCertificate, issueSignCertificate, type SimCa } from "../ca/ca";
import type { RevocationReason } from "../ca/crl";
import { type CaPurpose, type Hierarchy, TOKEN_LABELS, type TokenType } from "../ca/profiles";
import { ageOn } from "../ca/validity";
import { b64, caId, type JlisCore, normalizeSerial } from "../core/jlis-core";
import { type TMunicipality, type TResident, ZFourFacts, ZMunicipality } from "../store";

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

/** The card lifecycle on a {@link JlisCore}; every operation is serialized and saved before it returns. */
export class CardLifecycle {
  constructor(
    private readonly core: JlisCore,
    /** Source of holder key pairs. */
    private readonly newKeyPair: () => Promise<CryptoKeyPair>,
  ) {}

  private get state() {
    return this.core.state;
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
    return this.core.exclusive(async () => {
      const tokenType = o.tokenType ?? "card";
      const facts = ZFourFacts.parse(o.facts);
      const municipality = ZMunicipality.parse(o.municipality);
      const now = this.core.clock();
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
      await this.core.persist();
      return { residentRef: resident.ref, tokenType, label: TOKEN_LABELS[tokenType], auth, sign, revoked: [] };
    });
  }

  /**
   * Renew a token (更新): new key pairs and certificates; the old active ones revoked
   * `superseded` and linked old → new (docs/jpki.md#revocation).
   */
  renew(o: { residentRef: string; tokenType?: TokenType }): Promise<IssuedToken> {
    return this.core.exclusive(async () => {
      const tokenType = o.tokenType ?? "card";
      const resident = this.core.residentOrThrow(o.residentRef);
      if (resident.deceasedAt) throw new AppError("JLIS_CERT_NOT_ACTIVE", { message: "The resident is deceased." });
      const now = this.core.clock();
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
      await this.core.persist();
      return { residentRef: resident.ref, tokenType, label: TOKEN_LABELS[tokenType], auth, sign, revoked };
    });
  }

  /** A lost card or phone (紛失): both certificates of the token revoked `keyCompromise`. */
  reportLost(o: { residentRef: string; tokenType?: TokenType }): Promise<{ revoked: RevokedRef[] }> {
    return this.core.exclusive(async () => {
      const tokenType = o.tokenType ?? "card";
      const resident = this.core.residentOrThrow(o.residentRef);
      const revoked: RevokedRef[] = [];
      const now = this.core.clock();
      this.revokeRecord(this.activeSlot(resident, tokenType, "auth"), "keyCompromise", now, revoked);
      this.revokeRecord(this.activeSlot(resident, tokenType, "sign"), "keyCompromise", now, revoked);
      await this.core.persist();
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
    return this.core.exclusive(async () => {
      const resident = this.core.residentOrThrow(o.residentRef);
      if (resident.deceasedAt) throw new AppError("JLIS_CERT_NOT_ACTIVE", { message: "The resident is deceased." });
      const tokenType = o.reissueFor ?? "card";
      resident.facts = ZFourFacts.parse({ ...resident.facts, ...o.facts });
      if (o.municipality) resident.municipality = ZMunicipality.parse(o.municipality);
      const now = this.core.clock();
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
      await this.core.persist();
      return { sign, tokenType, label: TOKEN_LABELS[tokenType], revoked };
    });
  }

  /** Death (死亡): every active certificate of every token revoked. */
  death(o: { residentRef: string }): Promise<{ revoked: RevokedRef[] }> {
    return this.core.exclusive(async () => {
      const resident = this.core.residentOrThrow(o.residentRef);
      const now = this.core.clock();
      const revoked: RevokedRef[] = [];
      for (const t of Object.keys(resident.tokens) as TokenType[]) {
        // The signing certificate falls with the four facts; the auth certificate is no longer needed.
        this.revokeRecord(this.activeSlot(resident, t, "sign"), "affiliationChanged", now, revoked);
        this.revokeRecord(this.activeSlot(resident, t, "auth"), "cessationOfOperation", now, revoked);
      }
      resident.deceasedAt = now.toISOString();
      await this.core.persist();
      return { revoked };
    });
  }

  /** Revoke one certificate with an explicit reason (e.g. certificateHold, cACompromise). */
  revoke(o: { serialHex: string; reason: RevocationReason }): Promise<{ revoked: RevokedRef[] }> {
    return this.core.exclusive(async () => {
      const serial = normalizeSerial(o.serialHex);
      const record = this.state.certificates[serial];
      if (!record) throw new AppError("JLIS_CERT_UNKNOWN", { details: { serial } });
      if (record.revokedAt) throw new AppError("JLIS_CERT_NOT_ACTIVE", { details: { serial } });
      const revoked: RevokedRef[] = [];
      this.revokeRecord(serial, o.reason, this.core.clock(), revoked);
      await this.core.persist();
      return { revoked };
    });
  }

  /** Record (or withdraw) the resident's consent to give verifiers the latest four facts. */
  setConsent(o: { residentRef: string; consent: boolean }): Promise<void> {
    return this.core.exclusive(async () => {
      this.core.residentOrThrow(o.residentRef).consentToShareFacts = o.consent;
      await this.core.persist();
    });
  }

  // --- minting and revoking ------------------------------------------------------------------

  private activeSlot(resident: TResident, tokenType: TokenType, purpose: CaPurpose): string | undefined {
    const serial = resident.tokens[tokenType]?.[purpose];
    return serial && !this.state.certificates[serial]?.revokedAt ? serial : undefined;
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
    const ca = this.core.currentLoaded("auth", resident.hierarchy).ca;
    const keys = await this.newKeyPair();
    const serial = this.core.allocateSerial();
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
    const ca = this.core.currentLoaded("sign", resident.hierarchy).ca;
    const keys = await this.newKeyPair();
    const serial = this.core.allocateSerial();
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
    this.core.revocationRevision++;
    out.push({ serial, purpose: record.purpose, tokenType: record.tokenType, reason });
  }
}
