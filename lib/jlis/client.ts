/**
 * The portal as a registered verifier of the (simulated) J-LIS (docs/jpki.md#registered-verifiers): every request
 * carries the verifier credentials; the linking services answer "which certificate did this
 * one replace" (証明書新旧紐付け) and "which auth certificate goes with this signing
 * certificate" (証明書紐付け).
 */
import { AppError } from "../errors/app-error";
import { parseCertificate } from "../jpki/certificate";
import { findRevoked, normaliseSerial, parseCrl } from "../jpki/crl";
import type { TJlisLinks } from "../auth/verify-card-login";

export type TJlisClientOptions = {
  baseUrl: string;
  verifierId?: string;
  verifierSecret?: string;
  fetch?: typeof fetch;
};

/** `fetch` with HTTP Basic verifier credentials (RFC 7617) added to requests to J-LIS. */
export function jlisFetch(o: TJlisClientOptions): typeof fetch {
  const base = o.fetch ?? fetch;
  if (!o.verifierId || !o.verifierSecret) return base;
  const auth = `Basic ${Buffer.from(`${o.verifierId}:${o.verifierSecret}`, "utf8").toString("base64")}`;
  return (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set("Authorization", auth);
    return base(input, { ...init, headers });
  };
}

function serialOf(der: Uint8Array): string {
  return parseCertificate(der)
    .serialHex.toLowerCase()
    .replace(/^0+(?=.)/, "");
}

/**
 * J-LIS over HTTP (jlis-sim/http/http.ts paths): `/crl/index.json` and the full auth CRLs of every
 * generation to spot renewed (superseded) certificates among ours, `/link/successor/<serial>`
 * (old → new) and `/link/sign-to-auth/<serial>`. An unknown serial (404) is null; any other
 * failure is CERT_STATUS_UNAVAILABLE, so a login never succeeds on a guess.
 */
export function createJlisLinks(o: TJlisClientOptions): TJlisLinks {
  const f = jlisFetch(o);
  const base = o.baseUrl.replace(/\/+$/, "");
  const get = async (url: string): Promise<Response | null> => {
    let res: Response;
    try {
      res = await f(url, { signal: AbortSignal.timeout(5000) });
    } catch (cause) {
      throw new AppError("CERT_STATUS_UNAVAILABLE", { message: "The J-LIS service is unreachable.", cause });
    }
    if (res.status === 404) return null;
    if (!res.ok)
      throw new AppError("CERT_STATUS_UNAVAILABLE", { message: `The J-LIS service answered ${res.status}.` });
    return res;
  };
  return {
    async supersededAmong(serials) {
      if (serials.length === 0) return [];
      const watched = new Set(serials.map((s) => normaliseSerial(s)));
      const index = (await (await get(`${base}/crl/index.json`))?.json()) as
        | { crls?: { path: string; purpose: string; dirName?: string }[] }
        | undefined;
      const paths = (index?.crls ?? [])
        .filter((c) => c.purpose === "auth" && !c.dirName && !c.path.includes("arl/"))
        .map((c) => c.path);
      const out = new Set<string>();
      for (const p of paths) {
        const res = await get(`${base}/crl/${p}`);
        if (!res) continue;
        // Only a hint: the decision rests on the authenticated old → new link below.
        const crl = parseCrl(new Uint8Array(await res.arrayBuffer()));
        for (const [serial, entry] of findRevoked(crl, watched).hits) {
          if (entry.reason === "superseded") out.add(serial.replace(/^0+(?=.)/, ""));
        }
      }
      return [...out];
    },
    async successorOf(serialHex) {
      const res = await get(`${base}/link/successor/${serialHex}`);
      if (!res) return null;
      const a = (await res.json()) as { successor?: string | null; latest?: string };
      return { successor: a.successor ?? null, latest: a.latest ?? serialHex };
    },
    async authCertificateOf(signCertificate) {
      const res = await get(`${base}/link/sign-to-auth/${serialOf(signCertificate)}`);
      if (!res) return null;
      const a = (await res.json()) as { authSerial?: string };
      return a.authSerial ? { serialHex: a.authSerial } : null;
    },
  };
}
