/**
 * The trust anchors and CRLs for issuer signatures on mailbox documents, as a deployment reaches
 * its organisation CA: the root certificate from a file in PARTNER_CA_DIR (a trust anchor is
 * configuration, never fetched), the CRL over HTTP from PARTNER_CA_CRL_URL, revalidated on every
 * verification. In development both come from the simulated partner CA (jlis-sim/partner-ca),
 * whose CRL the portal serves at /partner-ca/crl; nothing here knows that. The runtime
 * (lib/runtime) holds the process's one; lib/mailbox/issuer-trust.ts has the getters over it.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { resolveDataPath, type TEnv } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";
import { parseCrl } from "@/lib/jpki/crl";
import { pemToDer } from "@/lib/jpki/pem";

/** File name of the organisation CA's root certificate (PEM) in PARTNER_CA_DIR. */
export const ISSUER_ROOT_FILE = "partner-root.pem";

/** Where the issuer CRL is published: PARTNER_CA_CRL_URL, or the simulator behind the portal. */
export function issuerCrlUrlOf(config: Pick<TEnv, "PARTNER_CA_CRL_URL" | "PORTAL_ORIGIN">): string {
  return config.PARTNER_CA_CRL_URL ?? `${new URL(config.PORTAL_ORIGIN).origin}/partner-ca/crl`;
}

export type TIssuerCrlSource = (now?: Date) => Promise<Uint8Array[]>;

/**
 * The CRLs of the issuer roots from `url`, for the revocation check of issuer signatures.
 * Revocation takes effect on the next verification: every call revalidates the held CRL with a
 * conditional GET (If-None-Match / If-Modified-Since), so a CRL the CA has just published is
 * never hidden by the one held in memory, while an unchanged CRL costs a 304 and no parsing.
 * When the CA cannot be reached, the held CRL is used until its nextUpdate and no longer;
 * without one the answer is CERT_STATUS_UNAVAILABLE (a delivery is then refused, never
 * accepted unchecked).
 */
export function createIssuerCrlSource(url: string, fetchFn: typeof fetch = fetch): TIssuerCrlSource {
  let held: { der: Uint8Array; nextUpdate?: Date; etag?: string; lastModified?: string } | undefined;
  return async (now = new Date()) => {
    const headers = new Headers();
    if (held?.etag) headers.set("If-None-Match", held.etag);
    if (held?.lastModified) headers.set("If-Modified-Since", held.lastModified);
    let res: Response | undefined;
    try {
      res = await fetchFn(url, { headers, signal: AbortSignal.timeout(5000), cache: "no-store" });
    } catch {
      res = undefined;
    }
    if (res?.status === 304 && held) return [held.der];
    if (res?.ok) {
      const der = new Uint8Array(await res.arrayBuffer());
      let nextUpdate: Date | undefined;
      try {
        nextUpdate = parseCrl(der).nextUpdate;
      } catch (cause) {
        throw new AppError("CERT_STATUS_UNAVAILABLE", { message: "The issuer CRL could not be parsed.", cause });
      }
      held = {
        der,
        nextUpdate,
        etag: res.headers.get("etag") ?? undefined,
        lastModified: res.headers.get("last-modified") ?? undefined,
      };
      return [der];
    }
    if (held?.nextUpdate && now.getTime() < held.nextUpdate.getTime()) return [held.der];
    throw new AppError("CERT_STATUS_UNAVAILABLE", {
      message: res ? `The issuer CRL service answered ${res.status}.` : "The issuer CRL service is unreachable.",
    });
  };
}

export type TIssuerTrust = {
  /**
   * The roots trusted for issuer signatures. While the root file does not exist yet (a development
   * data directory before the simulator created it) the answer is empty and is looked up again on
   * the next call.
   */
  anchors(): Promise<Uint8Array[]>;
  /** The CRLs of the issuer roots, revalidated on every call (createIssuerCrlSource). */
  crls: TIssuerCrlSource;
  crlUrl: string;
};

/** The issuer trust of one configuration: the root loaded on first use and kept, the CRL revalidated per call. */
export function createIssuerTrust(
  config: Pick<TEnv, "PARTNER_CA_DIR" | "PARTNER_CA_CRL_URL" | "PORTAL_ORIGIN">,
  fetchFn: typeof fetch = fetch,
): TIssuerTrust {
  const rootFile = path.join(resolveDataPath(config.PARTNER_CA_DIR), ISSUER_ROOT_FILE);
  const crlUrl = issuerCrlUrlOf(config);
  let anchors: Promise<Uint8Array[]> | undefined;
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
    crls: createIssuerCrlSource(crlUrl, fetchFn),
  };
}
