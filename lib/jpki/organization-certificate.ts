/**
 * The organisation certificates that issuers of mailbox documents sign with (RFC 5280 §4.1.2.6):
 * subject `C=JP, O=<organisation>, organizationIdentifier=ICHIMAI-<partner slug>, CN=<organisation>`.
 * The partner slug in organizationIdentifier (X.520 §6.2.8, 2.5.4.97; the "<scheme>-<id>" form of
 * ETSI EN 319 412-1 §5.1.4) binds the key to one ichimai partner. Whichever CA issues them (the
 * simulated partner CA in development, a commercial organisation CA in a deployment), this is how
 * the verifier reads them.
 */
import { parseCertificate } from "./certificate";
import { nameAttribute } from "./name";

/** organizationIdentifier (X.520, 2.5.4.97). */
export const OID_ORGANIZATION_IDENTIFIER = "2.5.4.97";
/** Scheme prefix of the organizationIdentifier values that name an ichimai partner. */
export const PARTNER_ID_SCHEME = "ICHIMAI-";

/** What an organisation certificate says about its holder (for reports and the issuer check). */
export type TOrganizationIdentity = {
  organizationName?: string;
  /** The ichimai partner slug from organizationIdentifier `ICHIMAI-<slug>`, if present. */
  partnerSlug?: string;
  /** RFC 4514-style subject and issuer, most significant RDN first. */
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  /** SHA-256 of the DER, lower-case hex. */
  fingerprint: string;
};

/**
 * Reads the holder of a certificate. Missing parts are undefined; only the chain check says
 * whether to trust them. Throws CERT_MALFORMED.
 */
export function readOrganizationIdentity(certificate: Uint8Array): TOrganizationIdentity {
  const cert = parseCertificate(certificate);
  const orgId = nameAttribute(cert.subject, OID_ORGANIZATION_IDENTIFIER);
  return {
    organizationName: nameAttribute(cert.subject, "2.5.4.10"),
    partnerSlug: orgId?.startsWith(PARTNER_ID_SCHEME) ? orgId.slice(PARTNER_ID_SCHEME.length) : undefined,
    subject: cert.subject.text,
    issuer: cert.issuer.text,
    serialNumber: cert.serialHex,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    fingerprint: cert.fingerprint,
  };
}
