/**
 * Builds the card-login context from the environment (lib/env.ts): the portal origin, the JPKI
 * trust anchors published by the simulated J-LIS under JLIS_DATA_DIR/ca/, and revocation and
 * linking through J-LIS's HTTP service at JLIS_BASE_URL with this portal's registered-verifier
 * credentials (JPKI.md §3: only registered verifiers may query status).
 */
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import { getDb } from "../db/client";
import { env, resolveDataPath } from "../env";
import { type RevocationCache, checkRevocation } from "../jpki/revocation";
import { bindingCookieName } from "./binding-cookie";
import type { TRevocationCheck } from "./card-certificate";
import { createJlisLinks, jlisFetch } from "./jlis-client";
import type { TCardLoginContext } from "./verify-card-login";

export type TTrustAnchors = {
  auth: Uint8Array[];
  sign: Uint8Array[];
  responders: Uint8Array[];
  /** SHA-256 (hex) of a root's DER → its full CRL path under the J-LIS base URL (`[test/]gen<N>/<purpose>.crl`). */
  crlPaths: Map<string, string>;
};

/**
 * Root certificates of every generation from a simulator data directory
 * (`ca/<hierarchy>-<purpose>-<generation>.cer`), and the delegated OCSP responder certificates
 * (`ocsp/…`). Missing directories give empty lists (login then fails with CERT_UNTRUSTED).
 */
export async function loadTrustAnchors(jlisDataDir: string): Promise<TTrustAnchors> {
  const read = async (sub: string) => {
    const dir = path.join(jlisDataDir, sub);
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    const files = names.filter((n) => n.endsWith(".cer")).sort();
    return Promise.all(
      files.map(async (n) => ({ name: n, der: new Uint8Array(await fs.readFile(path.join(dir, n))) })),
    );
  };
  const cas = await read("ca");
  const responders = await read("ocsp");
  const crlPaths = new Map<string, string>();
  for (const c of cas) {
    const m = /^(production|test)-(auth|sign)-(\d+)\.cer$/.exec(c.name);
    if (m) crlPaths.set(sha256(c.der), `${m[1] === "test" ? "test/" : ""}gen${Number(m[3])}/${m[2]}.crl`);
  }
  return {
    auth: cas.filter((c) => /-auth-/.test(c.name)).map((c) => c.der),
    sign: cas.filter((c) => /-sign-/.test(c.name)).map((c) => c.der),
    responders: responders.map((c) => c.der),
    crlPaths,
  };
}

export type TJlisServiceOptions = {
  baseUrl: string;
  verifierId?: string;
  verifierSecret?: string;
  responderCertificates?: Uint8Array[];
  /** Root fingerprint → CRL path (the fallback when OCSP fails); without an entry, OCSP only. */
  crlPaths?: Map<string, string>;
  /** Login passes none: a card revoked a minute ago must not log in (JPKI.md §3: OCSP is same-day). */
  cache?: RevocationCache;
};

/** Revocation through J-LIS: OCSP (RFC 6960) first, the issuing CA's CRL as fallback. */
export function jlisRevocationCheck(o: TJlisServiceOptions): TRevocationCheck {
  const f = jlisFetch(o);
  const base = o.baseUrl.replace(/\/+$/, "");
  return async ({ certificate, issuer, now }) => {
    const r = await checkRevocation({
      certificate,
      issuer,
      now,
      ocsp: { url: `${base}/ocsp`, responderCertificates: o.responderCertificates, fetch: f, timeoutMs: 5000 },
      crls: crlPath(o.crlPaths, issuer, base, f),
      cache: o.cache,
    });
    return { status: r.status, reason: r.reason, source: r.source };
  };
}

function sha256(der: Uint8Array): string {
  return createHash("sha256").update(der).digest("hex");
}

function crlPath(paths: Map<string, string> | undefined, issuer: Uint8Array, base: string, f: typeof fetch) {
  const p = paths?.get(sha256(issuer));
  return p ? { url: `${base}/crl/${p}`, fetch: f } : undefined;
}

const g = globalThis as unknown as { __ichimaiCardLogin?: Promise<TCardLoginContext> };

/** The process-wide context (trust anchors are read once; restart after `npm run jpki -- init`). */
export function getCardLoginContext(): Promise<TCardLoginContext> {
  g.__ichimaiCardLogin ??= (async () => {
    const config = env();
    const anchors = await loadTrustAnchors(resolveDataPath(config.JLIS_DATA_DIR));
    const baseUrl = config.JLIS_BASE_URL ?? `${new URL(config.PORTAL_ORIGIN).origin}/jlis`;
    const service = {
      baseUrl,
      verifierId: config.JLIS_VERIFIER_ID,
      verifierSecret: config.JLIS_VERIFIER_SECRET,
      responderCertificates: anchors.responders,
      crlPaths: anchors.crlPaths,
    };
    return {
      db: await getDb(),
      portalOrigin: config.PORTAL_ORIGIN,
      bindingCookieName: bindingCookieName(config.PORTAL_ORIGIN),
      authTrustAnchors: anchors.auth,
      signTrustAnchors: anchors.sign,
      checkRevocation: jlisRevocationCheck(service),
      jlis: createJlisLinks(service),
    } satisfies TCardLoginContext;
  })().catch((e) => {
    g.__ichimaiCardLogin = undefined;
    throw e;
  });
  return g.__ichimaiCardLogin;
}
