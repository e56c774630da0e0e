/**
 * The trust anchors and CRLs for issuer signatures on mailbox documents, as a deployment reaches
 * its organisation CA: the root certificate from a file in PARTNER_CA_DIR (a trust anchor is
 * configuration, never fetched), the CRL over HTTP from PARTNER_CA_CRL_URL. In development both
 * come from the simulated partner CA (jlis-sim/partner-ca), whose CRL the portal serves at
 * /partner-ca/crl; nothing here knows that. The runtime (lib/runtime) holds the process's one;
 * lib/mailbox/issuer-trust.ts has the getters over it.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { resolveDataPath, type TEnv } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";
import { parseCrl } from "@/lib/jpki/crl";
import { pemToDer } from "@/lib/jpki/pem";

/** File name of the organisation CA's root certificate (PEM) in PARTNER_CA_DIR. */
export const ISSUER_ROOT_FILE = "partner-root.pem";
/** A CRL is fetched again this long before its nextUpdate. */
export const ISSUER_CRL_REFRESH_MS = 3600_000;
/** …and at least this often, so a newly published CRL is seen within minutes. */
const ISSUER_CRL_MAX_AGE_MS = 5 * 60_000;

/** Where the issuer CRL is published: PARTNER_CA_CRL_URL, or the simulator behind the portal. */
export function issuerCrlUrlOf(config: Pick<TEnv, "PARTNER_CA_CRL_URL" | "PORTAL_ORIGIN">): string {
  return config.PARTNER_CA_CRL_URL ?? `${new URL(config.PORTAL_ORIGIN).origin}/partner-ca/crl`;
}

export type TIssuerTrust = {
  /**
   * The roots trusted for issuer signatures. While the root file does not exist yet (a development
   * data directory before the simulator created it) the answer is empty and is looked up again on
   * the next call.
   */
  anchors(): Promise<Uint8Array[]>;
  /**
   * The CRLs of the issuer roots, for the revocation check of issuer signatures: downloaded from
   * the CRL URL and held in memory until an hour before its nextUpdate, at most five minutes.
   * Unreachable or unparseable: CERT_STATUS_UNAVAILABLE (a delivery is then refused, never
   * accepted unchecked).
   */
  crls(now?: Date, fetchFn?: typeof fetch): Promise<Uint8Array[]>;
  crlUrl: string;
};

/** The issuer trust of one configuration, each part loaded on first use and kept. */
export function createIssuerTrust(
  config: Pick<TEnv, "PARTNER_CA_DIR" | "PARTNER_CA_CRL_URL" | "PORTAL_ORIGIN">,
): TIssuerTrust {
  const rootFile = path.join(resolveDataPath(config.PARTNER_CA_DIR), ISSUER_ROOT_FILE);
  const crlUrl = issuerCrlUrlOf(config);
  let anchors: Promise<Uint8Array[]> | undefined;
  let crls: { der: Uint8Array[]; refreshAt: number } | undefined;
  return {
    crlUrl,
    anchors() {
      anchors ??= readFile(rootFile, "utf8").then(
        (pem) => [pemToDer(pem)],
        (err) => {
          anchors = undefined;
          if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
          throw err;
        },
      );
      return anchors;
    },
    async crls(now: Date = new Date(), fetchFn: typeof fetch = fetch) {
      if (crls && now.getTime() < crls.refreshAt) return crls.der;
      let der: Uint8Array;
      try {
        const res = await fetchFn(crlUrl, { signal: AbortSignal.timeout(5000) });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        der = new Uint8Array(await res.arrayBuffer());
      } catch (cause) {
        throw new AppError("CERT_STATUS_UNAVAILABLE", { message: "The issuer CRL could not be downloaded.", cause });
      }
      const nextUpdate = parseCrl(der).nextUpdate?.getTime() ?? now.getTime();
      crls = {
        der: [der],
        refreshAt: Math.min(nextUpdate - ISSUER_CRL_REFRESH_MS, now.getTime() + ISSUER_CRL_MAX_AGE_MS),
      };
      return crls.der;
    },
  };
}
