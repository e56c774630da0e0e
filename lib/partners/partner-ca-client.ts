/**
 * The portal as a client of the organisation CA (in development the simulator, jlis-sim/partner-ca,
 * mounted at `${PORTAL_ORIGIN}/partner-ca`): staff onboarding a partner send the public key of the
 * partner's certificate signing request (PKCS#10, RFC 2986) with the organisation's name and
 * partner slug, and get the organisation signing certificate (DER) back. The CA decides serial,
 * validity and profile; lib checks what it got (readOrganizationIdentity, the key it asked for).
 *
 * Every request carries `Authorization: Bearer <token>`, a key derived from
 * SECRETS_ENCRYPTION_KEY ({@link partnerCaIssueToken}): the simulator issues only to the portal
 * that shares its key.
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { deriveSecretsSubkey } from "../crypto/secret-box";
import { AppError } from "../errors/app-error";
import { pemToDer } from "../jpki/pem";

x509.cryptoProvider.set(globalThis.crypto);

export type TIssueOrganizationCertificateRequest = {
  /** SubjectPublicKeyInfo (DER) of the partner's key, taken from its verified CSR. */
  subjectPublicKeyInfo: Uint8Array;
  /** The organisation's registered name (O and CN of the certificate). */
  organizationName: string;
  /** Partner.slug (organizationIdentifier ICHIMAI-<slug>). */
  partnerSlug: string;
};

/** What lib needs of an organisation CA. */
export type TPartnerCaClient = {
  issueOrganizationCertificate(request: TIssueOrganizationCertificateRequest): Promise<Uint8Array>;
};

const ISSUE_TOKEN_INFO = "ichimai partner CA issue v1";

/** The bearer token of the portal at its organisation CA (base64url of an HKDF subkey). */
export function partnerCaIssueToken(secretsKey: Uint8Array): string {
  return deriveSecretsSubkey(secretsKey, ISSUE_TOKEN_INFO).toString("base64url");
}

export type TPartnerCaClientOptions = {
  /** e.g. `${PORTAL_ORIGIN}/partner-ca`; a trailing slash is dropped. */
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
};

/** The HTTP client: POST `${baseUrl}/issue` (JSON) → application/pkix-cert. */
export function createPartnerCaClient(o: TPartnerCaClientOptions): TPartnerCaClient {
  const baseUrl = o.baseUrl.replace(/\/+$/, "");
  const f = o.fetch ?? fetch;
  return {
    async issueOrganizationCertificate(r) {
      let res: Response;
      try {
        res = await f(`${baseUrl}/issue`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${o.token}` },
          body: JSON.stringify({
            subjectPublicKeyInfo: Buffer.from(r.subjectPublicKeyInfo).toString("base64"),
            organizationName: r.organizationName,
            partnerSlug: r.partnerSlug,
          }),
          signal: AbortSignal.timeout(10_000),
        });
      } catch (cause) {
        throw new AppError("PARTNER_CA_UNAVAILABLE", { cause });
      }
      if (!res.ok || !res.headers.get("content-type")?.startsWith("application/pkix-cert")) {
        await res.body?.cancel();
        throw new AppError("PARTNER_CA_UNAVAILABLE", { message: `The partner CA answered ${res.status}.` });
      }
      return new Uint8Array(await res.arrayBuffer());
    },
  };
}

/**
 * The public key (SPKI DER) of a PKCS#10 request in PEM ("CERTIFICATE REQUEST") or base64 DER,
 * after checking its self-signature (proof that the sender holds the key). PARTNER_CSR_INVALID
 * otherwise.
 */
export async function publicKeyOfCsr(csr: string): Promise<Uint8Array> {
  try {
    const trimmed = csr.trim();
    const der = trimmed.startsWith("-----")
      ? pemToDer(trimmed, "CERTIFICATE REQUEST")
      : new Uint8Array(Buffer.from(trimmed.replace(/\s+/g, ""), "base64"));
    const request = new x509.Pkcs10CertificateRequest(new Uint8Array(der).buffer);
    if (!(await request.verify())) throw new Error("signature");
    return new Uint8Array(request.publicKey.rawData);
  } catch (cause) {
    throw new AppError("PARTNER_CSR_INVALID", { cause });
  }
}
