/**
 * The process's issuer trust (roots and CRLs for issuer signatures on mailbox documents): getters
 * that are views over the runtime (lib/runtime), which builds it from lib/env.ts with
 * createIssuerTrust (issuer-trust-source.ts).
 */
import { getRuntime } from "@/lib/runtime/runtime";

export {
  createIssuerCrlSource,
  createIssuerTrust,
  ISSUER_ROOT_FILE,
  issuerCrlUrlOf,
  type TIssuerCrlSource,
  type TIssuerTrust,
} from "./issuer-trust-source";

/**
 * The roots trusted for issuer signatures. While the root file does not exist yet (a development
 * data directory before the simulator created it) the answer is empty and is looked up again on
 * the next call.
 */
export function getIssuerTrustAnchors(): Promise<Uint8Array[]> {
  return getRuntime().issuerTrust.anchors();
}

/** Where the issuer CRL is published: PARTNER_CA_CRL_URL, or the simulator behind the portal. */
export function issuerCrlUrl(): string {
  return getRuntime().issuerTrust.crlUrl;
}

/** The CRLs of the issuer roots, revalidated with the CA on every call (createIssuerCrlSource). */
export function getIssuerCrls(now?: Date): Promise<Uint8Array[]> {
  return getRuntime().issuerTrust.crls(now);
}
