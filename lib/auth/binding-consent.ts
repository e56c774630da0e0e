/**
 * The first-login binding consent: the document a resident signs with the signing key of their
 * card (署名用電子証明書, docs/jpki.md#signing-certificate) to link a new user-authentication certificate to their
 * resident record. Pure (no Node or browser APIs) so the login page and the server build the
 * very same bytes.
 *
 * Form chosen: a raw RSASSA-PKCS1-v1_5 / SHA-256 signature over the UTF-8
 * bytes of the canonical JSON below, verified with the signing certificate. The card agent only
 * signs data (webcrypto-socket has no CMS action), and building a CMS on the server would need
 * the page to sign server-built signed attributes in a second round trip for no extra assurance
 * here; the exact signed bytes, the signature and the certificate are kept as evidence.
 *
 * Canonical JSON = RFC 8785 (JCS) for an object whose values are all strings: keys sorted by
 * UTF-16 code units, no whitespace, JSON.stringify string escaping.
 */

export const BINDING_CONSENT_FORMAT = "ichimai-card-binding-consent/1";

/** The statement the resident agrees to, in both languages (shown on the page before signing). */
export const BINDING_CONSENT_STATEMENT =
  "私は、このマイナンバーカードの利用者証明用電子証明書を私の住民記録に紐付け、ichimai へのログインに使うことに同意します。 / I agree that the user-authentication certificate of this My Number Card is linked to my resident record and used to log in to ichimai.";

export type TBindingConsent = {
  format: typeof BINDING_CONSENT_FORMAT;
  /** The portal origin (scheme://host[:port]). */
  origin: string;
  /** The base64 nonce of a challenge issued with purpose "binding". */
  nonce: string;
  /** SHA-256 (lower-case hex) of the DER of the user-authentication certificate being linked. */
  authCertificateSha256: string;
  statement: string;
};

/** Canonical JSON of a flat object of strings (RFC 8785 for this subset). */
export function canonicalJson(value: Readonly<Record<string, string>>): string {
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(value[k])}`).join(",")}}`;
}

/** The exact text the signing key signs. */
export function bindingConsentText(o: { origin: string; nonce: string; authCertificateSha256: string }): string {
  const consent: TBindingConsent = {
    format: BINDING_CONSENT_FORMAT,
    origin: o.origin,
    nonce: o.nonce,
    authCertificateSha256: o.authCertificateSha256.toLowerCase(),
    statement: BINDING_CONSENT_STATEMENT,
  };
  return canonicalJson(consent);
}
