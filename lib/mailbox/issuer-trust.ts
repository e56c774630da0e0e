/**
 * The trust anchors and CRLs for issuer signatures on mailbox documents, as a deployment reaches
 * its organisation CA: the root certificate from a file in PARTNER_CA_DIR (a trust anchor is
 * configuration, never fetched), the CRL over HTTP from PARTNER_CA_CRL_URL. In development both
 * come from the simulated partner CA (jlis-sim/partner-ca), whose CRL the portal serves at
 * /partner-ca/crl; nothing here knows that.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { env, resolveDataPath } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";
import { parseCrl } from "@/lib/jpki/crl";
import { pemToDer } from "@/lib/jpki/pem";

/** File name of the organisation CA's root certificate (PEM) in PARTNER_CA_DIR. */
export const ISSUER_ROOT_FILE = "partner-root.pem";
/** A CRL is fetched again this long before its nextUpdate. */
export const ISSUER_CRL_REFRESH_MS = 3600_000;
/** …and at least this often, so a newly published CRL is seen within minutes. */
const ISSUER_CRL_MAX_AGE_MS = 5 * 60_000;

let anchors: Promise<Uint8Array[]> | undefined;

/**
 * The roots trusted for issuer signatures. While the root file does not exist yet (a development
 * data directory before the simulator created it) the answer is empty and is looked up again on
 * the next call.
 */
export function getIssuerTrustAnchors(): Promise<Uint8Array[]> {
  anchors ??= readFile(path.join(resolveDataPath(env().PARTNER_CA_DIR), ISSUER_ROOT_FILE), "utf8").then(
    (pem) => [pemToDer(pem)],
    (err) => {
      anchors = undefined;
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw err;
    },
  );
  return anchors;
}

/** Where the issuer CRL is published: PARTNER_CA_CRL_URL, or the simulator behind the portal. */
export function issuerCrlUrl(): string {
  const config = env();
  return config.PARTNER_CA_CRL_URL ?? `${new URL(config.PORTAL_ORIGIN).origin}/partner-ca/crl`;
}

let crls: { der: Uint8Array[]; refreshAt: number } | undefined;

/**
 * The CRLs of the issuer roots, for the revocation check of issuer signatures: downloaded from
 * issuerCrlUrl() and held in memory until an hour before its nextUpdate, at most five minutes.
 * Unreachable or unparseable: CERT_STATUS_UNAVAILABLE (a delivery is then refused, never
 * accepted unchecked).
 */
export async function getIssuerCrls(now: Date = new Date(), fetchFn: typeof fetch = fetch): Promise<Uint8Array[]> {
  if (crls && now.getTime() < crls.refreshAt) return crls.der;
  const url = issuerCrlUrl();
  let der: Uint8Array;
  try {
    const res = await fetchFn(url, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    der = new Uint8Array(await res.arrayBuffer());
  } catch (cause) {
    throw new AppError("CERT_STATUS_UNAVAILABLE", { message: "The issuer CRL could not be downloaded.", cause });
  }
  const nextUpdate = parseCrl(der).nextUpdate?.getTime() ?? now.getTime();
  crls = { der: [der], refreshAt: Math.min(nextUpdate - ISSUER_CRL_REFRESH_MS, now.getTime() + ISSUER_CRL_MAX_AGE_MS) };
  return crls.der;
}
