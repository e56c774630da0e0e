/**
 * The J-LIS service this deployment uses, from the environment (lib/env.ts): the trust anchors it
 * publishes (JLIS_DATA_DIR), the base URL (JLIS_BASE_URL) and the registered-verifier credentials
 * (JLIS_VERIFIER_ID / JLIS_VERIFIER_SECRET, or a development verifier), made into the client
 * (./client.ts) that card login and the platform use.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { sha256Hex } from "../crypto/sha256";
import { env, resolveDataPath } from "../env";
import { createJlisClient, type TJlisClient } from "./client";

/**
 * Development verifiers (NODE_ENV ≠ production, no JLIS_BASE_URL, no credentials configured): the
 * portal's card login and the verification platform each query J-LIS under their own id. The
 * simulated J-LIS registers these when it starts outside production; a real J-LIS never knows them.
 */
export const DEV_VERIFIERS = {
  portal: { id: "ichimai-portal-dev", secret: "ichimai-dev-verifier-secret-not-for-production" },
  platform: { id: "ichimai-platform-dev", secret: "ichimai-platform-dev-verifier-secret-not-for-production" },
} as const;

export type TTrustAnchors = {
  auth: Uint8Array[];
  sign: Uint8Array[];
  responders: Uint8Array[];
  /** SHA-256 (hex) of a root's DER → its full CRL path under the J-LIS base URL (`[test/]gen<N>/<purpose>.crl`). */
  crlPaths: Map<string, string>;
  /** Roots of the JPKI-TEST hierarchy (O=JPKI-TEST): the sandbox's cards, for TEST partner credentials only. */
  testAuth: Uint8Array[];
  testSign: Uint8Array[];
};

/**
 * Root certificates of every generation from a simulator data directory
 * (`ca/<hierarchy>-<purpose>-<generation>.cer`), and the delegated OCSP responder certificates
 * (`ocsp/…`). Missing directories give empty lists (login then fails with CERT_UNTRUSTED).
 */
export async function loadTrustAnchors(jlisDataDir: string): Promise<TTrustAnchors> {
  const read = async (sub: string) => {
    const dir = path.join(jlisDataDir, sub);
    // A missing directory is "not initialised yet"; any other failure (permissions, I/O) is an
    // error of its own, not an empty trust store that would show up as CERT_UNTRUSTED at login.
    const names = await fs.readdir(dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === "ENOENT") return [] as string[];
      throw err;
    });
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
    if (m) crlPaths.set(sha256Hex(c.der), `${m[1] === "test" ? "test/" : ""}gen${Number(m[3])}/${m[2]}.crl`);
  }
  return {
    // Card login takes production roots only: J-LIS test cards (O=JPKI-TEST) never log in.
    auth: cas.filter((c) => /^production-auth-/.test(c.name)).map((c) => c.der),
    sign: cas.filter((c) => /^production-sign-/.test(c.name)).map((c) => c.der),
    // The partner sandbox: verified only for TEST credentials (lib/partners/credential-mode.ts).
    testAuth: cas.filter((c) => /^test-auth-/.test(c.name)).map((c) => c.der),
    testSign: cas.filter((c) => /^test-sign-/.test(c.name)).map((c) => c.der),
    responders: responders.map((c) => c.der),
    crlPaths,
  };
}

/**
 * The J-LIS client of this process, with the trust anchors J-LIS publishes. In
 * development (NODE_ENV ≠ production, no JLIS_BASE_URL, no credentials configured) the caller
 * uses a fixed development verifier (DEV_VERIFIERS), which the simulated J-LIS behind the portal's
 * /jlis route registers when it starts outside production, so `npm run dev` needs no set-up step;
 * never when credentials or a J-LIS URL are configured.
 */
export async function resolveJlisService(
  devVerifier: { id: string; secret: string },
  config: ReturnType<typeof env> = env(),
): Promise<{
  config: ReturnType<typeof env>;
  anchors: TTrustAnchors;
  jlis: TJlisClient;
}> {
  const anchors = await loadTrustAnchors(resolveDataPath(config.JLIS_DATA_DIR));
  let verifierId = config.JLIS_VERIFIER_ID;
  let verifierSecret = config.JLIS_VERIFIER_SECRET;
  if (!verifierId && !verifierSecret && !config.JLIS_BASE_URL && config.NODE_ENV !== "production") {
    verifierId = devVerifier.id;
    verifierSecret = devVerifier.secret;
  }
  const jlis = createJlisClient({
    baseUrl: config.JLIS_BASE_URL ?? `${new URL(config.PORTAL_ORIGIN).origin}/jlis`,
    verifierId,
    verifierSecret,
    responderCertificates: anchors.responders,
    crlPaths: anchors.crlPaths,
  });
  return { config, anchors, jlis };
}
