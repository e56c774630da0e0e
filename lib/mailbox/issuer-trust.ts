import { env, resolveDataPath } from "@/lib/env";
import { parseCrl } from "@/lib/jpki/crl";
import { currentPartnerCrl, openPartnerCa, PARTNER_CRL_REFRESH_MS } from "@/lib/jpki/sim/partner-ca";

let anchors: Promise<Uint8Array[]> | undefined;

/**
 * The trust anchors for issuer signatures on mailbox documents: the root of the simulated
 * partner CA in PARTNER_CA_DIR (created on first use, so development and e2e need no setup).
 * A deployment with a real organisation CA replaces this one function.
 */
export function getIssuerTrustAnchors(): Promise<Uint8Array[]> {
  anchors ??= openPartnerCa(resolveDataPath(env().PARTNER_CA_DIR))
    .then((ca) => [ca.certificate])
    .catch((err) => {
      anchors = undefined;
      throw err;
    });
  return anchors;
}

let crls: { der: Uint8Array[]; refreshAt: number } | undefined;

/**
 * The CRLs of the issuer roots, for the revocation check of issuer signatures: the simulated
 * partner CA's current CRL (re-signed by the simulator when due), held in memory until an hour
 * before its nextUpdate. A deployment with a real organisation CA downloads its CRL here.
 */
export async function getIssuerCrls(now: Date = new Date()): Promise<Uint8Array[]> {
  if (crls && now.getTime() < crls.refreshAt) return crls.der;
  const der = await currentPartnerCrl(resolveDataPath(env().PARTNER_CA_DIR), now);
  const nextUpdate = parseCrl(der).nextUpdate?.getTime() ?? now.getTime();
  crls = { der: [der], refreshAt: Math.min(nextUpdate - PARTNER_CRL_REFRESH_MS, now.getTime() + 5 * 60_000) };
  return crls.der;
}
