/**
 * The J-LIS client: the portal as a registered verifier of J-LIS (docs/jpki.md#revocation), over HTTP, whether
 * J-LIS is the simulator (jlis-sim/, mounted at the portal's /jlis in development) or the real
 * service. One object made from the service options (base URL, verifier credentials, responder
 * certificates, CRL paths) offers
 *
 * - the connection revocation needs (see ./revocation.ts `checkRevocationAtJlis`, and
 *   `ocspStatusBySerial` for the platform, which keeps serials, not certificates);
 * - the linking services: 証明書新旧紐付け (old → new, `successorOf`, and `supersededAmong`
 *   to spot renewed certificates among ours) and 証明書紐付け (sign → auth, `authSerialOfSign`,
 *   `authCertificateOf`);
 * - the consented latest four facts (最新の基本4情報, `latestFactsOf`);
 * - the municipality's report that its registry changed a person's four facts
 *   (`reportRegistryChange`): J-LIS revokes the person's signing certificates
 *   `affiliationChanged` and links the new one (old → new).
 *
 * Every request carries the verifier credentials (HTTP Basic, RFC 7617). An unknown serial (404)
 * is null; any other failure is CERT_STATUS_UNAVAILABLE, so nothing succeeds on a guess.
 */
import { AppError } from "../errors/app-error";
import { parseCertificate, type TCertificate } from "../jpki/certificate";
import { parseCertificateCached } from "../jpki/chain";
import { assertCrlUsable, findRevoked, parseCrl, verifyCrlSignature } from "../jpki/crl";
import { canonicalSerial } from "../jpki/serial";
import { queryOcsp, type TOcspStatus } from "../jpki/ocsp";
import type { TFourFacts } from "../jpki/verification-report";

/** How this deployment reaches J-LIS. Only `baseUrl` and the verifier credentials differ between the simulator and the real service. */
export type TJlisClientOptions = {
  /** e.g. `http://127.0.0.1:4010/jlis` or `${PORTAL_ORIGIN}/jlis`; a trailing slash is dropped. */
  baseUrl: string;
  verifierId?: string;
  verifierSecret?: string;
  /** Delegated OCSP responder certificates (RFC 6960 §4.2.2.2). */
  responderCertificates?: Uint8Array[];
  /** SHA-256 (hex) of a CA certificate → its full CRL path under `${baseUrl}/crl/` (the fallback when OCSP fails); without an entry, OCSP only. */
  crlPaths?: Map<string, string>;
  fetch?: typeof fetch;
};

/** 証明書新旧紐付け: the certificate that replaced this one and the newest in the chain. */
export type TSuccessor = { successor: string | null; latest: string };

/** The latest four facts as J-LIS gives them (docs/jpki.md#revocation, 最新の基本4情報). */
export type TFourFactsLatest = Pick<TFourFacts, "name" | "address" | "gender"> & { dateOfBirth?: string };

/** Result of {@link TJlisClient.latestFactsOf}: consent withdrawn or never given is `consented: false`. */
export type TLatestFacts =
  | { consented: false }
  | { consented: true; facts: TFourFactsLatest; deceased: boolean; currentSignSerial: string | null; asOf: string };

/** What J-LIS did on a registry change: the certificates it revoked and the signing certificate it linked as successor. */
export type TRegistryChangeResult = {
  /** False when J-LIS already had these facts (a repeated report changes nothing). */
  changed: boolean;
  revoked: { serialHex: string; purpose: "auth" | "sign"; reason: string }[];
  /** The new signing certificate (old → new link), or null when none was issued. */
  successorSignSerial: string | null;
};

/** J-LIS as a registered verifier sees it; made by {@link createJlisClient}. */
export type TJlisClient = {
  /** Base URL of the J-LIS service, no trailing slash. */
  readonly baseUrl: string;
  /** `fetch` that adds the registered-verifier credentials. */
  readonly fetch: typeof fetch;
  /** Delegated OCSP responder certificates (RFC 6960 §4.2.2.2). */
  readonly responderCertificates: Uint8Array[];
  /** The OCSP responder URL. */
  readonly ocspUrl: string;
  /** The full CRL URL of a CA (by the SHA-256 of its certificate), or undefined when none is configured. */
  crlUrlOf(issuerFingerprint: string): string | undefined;
  /**
   * OCSP status (RFC 6960) of a certificate known only by serial and issuer: the CertID needs the
   * issuer's name and key hashes and the serial, nothing of the certificate itself.
   */
  ocspStatusBySerial(o: { serialHex: string; issuer: Uint8Array; now: Date }): Promise<TOcspStatus>;
  /**
   * Of `serials` (auth certificates we have bound), those J-LIS lists as revoked "superseded"
   * (renewed), read from `/crl/index.json` and the full auth CRL of every generation. Only CRLs
   * signed by one of `issuers` count (others are ignored), each then checked with `assertCrlUsable`
   * (conformance, freshness at `now`; CRL_STALE, … thrown). Only a hint: a decision rests
   * on the authenticated old → new link ({@link successorOf}).
   */
  supersededAmong(serials: string[], o: { issuers: Uint8Array[]; now: Date }): Promise<string[]>;
  /** 証明書新旧紐付け: the direct successor of `serialHex` and the newest in its chain; null if unknown. */
  successorOf(serialHex: string): Promise<TSuccessor | null>;
  /**
   * 証明書紐付け: the auth certificate serial issued with a signing certificate, lower-case hex
   * without leading zeros (as CertificateBinding keeps it); null if J-LIS has none.
   */
  authSerialOfSign(signSerialHex: string): Promise<string | null>;
  /** {@link authSerialOfSign} for a signing certificate (DER). */
  authCertificateOf(signCertificate: Uint8Array): Promise<{ serialHex: string } | null>;
  /**
   * 最新の基本4情報 (docs/jpki.md#revocation): the current facts of the holder of a (possibly revoked) signing
   * certificate, given only when the resident consented (J-LIS answers 403 JLIS_CONSENT_MISSING).
   */
  latestFactsOf(signSerialHex: string): Promise<TLatestFacts>;
  /**
   * The municipality reports that its registry changed the four facts of a person (住民票コード /
   * registry number `residentRef`): a move, a change of name. J-LIS revokes their signing
   * certificates `affiliationChanged` and issues the successor link. Idempotent: the same facts
   * again change nothing. Null when J-LIS knows no card of the person.
   */
  reportRegistryChange(o: {
    residentRef: string;
    facts: Partial<TFourFactsLatest>;
  }): Promise<TRegistryChangeResult | null>;
  /**
   * The municipality reports a registry event that ends certificates: `moved_out` (the signing
   * certificates revoked `affiliationChanged`), `died` (signing `affiliationChanged`, auth
   * `cessationOfOperation`), `card_lost` (both of the card `keyCompromise`), `card_returned` (both
   * of the card `cessationOfOperation`: the card returned or its certificates ended). Idempotent: a repeat
   * revokes nothing more. Null when J-LIS knows no card of the person.
   */
  reportRegistryEvent(o: {
    residentRef: string;
    event: TRegistryEvent;
  }): Promise<{ revoked: TRegistryChangeResult["revoked"] } | null>;
  /**
   * The counter's card terminal (窓口端末) resets the locked `auth` or `sign` PIN try counter of the
   * person's current card, after the municipality checked the holder's identity. The PIN and the
   * keys stay. AppError COUNTER_CARD_NOT_FOUND (no card known or not at the counter),
   * COUNTER_PIN_NOT_LOCKED (tries left), JLIS_CERT_NOT_ACTIVE (the card is revoked),
   * COUNTER_UNAVAILABLE (no counter service), CERT_STATUS_UNAVAILABLE (J-LIS unreachable).
   */
  /**
   * 交付 at the counter: J-LIS's counter system writes a new card for the person with the four
   * facts of the municipality's registry, revoking the previous card's certificates (`superseded`
   * and linked old → new when the facts are the same, else `cessationOfOperation`). The initial
   * PINs go to the resident on the counter's one-time slip, never to the portal. AppError
   * COUNTER_MUNICIPALITY_UNKNOWN, JLIS_CERT_NOT_ACTIVE (deceased), COUNTER_UNAVAILABLE,
   * CERT_STATUS_UNAVAILABLE.
   */
  issueCardAtCounter(o: {
    residentRef: string;
    facts: { name: string; address: string; dateOfBirth: string; gender: "male" | "female" | "unknown" };
    municipalityCode: string;
    displayName: string;
  }): Promise<{
    authSerial: string;
    signSerial: string | null;
    revoked: TRegistryChangeResult["revoked"];
  }>;
  unlockCardPin(o: {
    residentRef: string;
    slot: "auth" | "sign";
  }): Promise<{ slot: "auth" | "sign"; triesLeft: number }>;
};

/** A registry event that ends certificates (転出, 死亡, 紛失); see {@link TJlisClient.reportRegistryEvent}. */
export type TRegistryEvent = "moved_out" | "died" | "card_lost" | "card_returned";

const TIMEOUT_MS = 5000;

/** `fetch` with HTTP Basic verifier credentials (RFC 7617) added to every request. */
function credentialedFetch(o: TJlisClientOptions): typeof fetch {
  const base = o.fetch ?? fetch;
  if (!o.verifierId || !o.verifierSecret) return base;
  const auth = `Basic ${Buffer.from(`${o.verifierId}:${o.verifierSecret}`, "utf8").toString("base64")}`;
  return (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set("Authorization", auth);
    return base(input, { ...init, headers });
  };
}

function errorCodeOf(body: unknown): string | undefined {
  const e = (body as { error?: { code?: unknown } } | undefined)?.error;
  return typeof e?.code === "string" ? e.code : undefined;
}

/** The J-LIS client of a deployment (see the file comment). */
export function createJlisClient(o: TJlisClientOptions): TJlisClient {
  const baseUrl = o.baseUrl.replace(/\/+$/, "");
  const f = credentialedFetch(o);
  const responderCertificates = o.responderCertificates ?? [];
  const crlPaths = o.crlPaths ?? new Map<string, string>();

  const request = async (path: string, init: RequestInit = {}): Promise<Response> => {
    try {
      return await f(`${baseUrl}${path}`, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (cause) {
      throw new AppError("CERT_STATUS_UNAVAILABLE", { message: "The J-LIS service is unreachable.", cause });
    }
  };
  const unavailable = (res: Response) =>
    new AppError("CERT_STATUS_UNAVAILABLE", { message: `The J-LIS service answered ${res.status}.` });
  /** A 2xx response, or null for 404. */
  const get = async (path: string): Promise<Response | null> => {
    const res = await request(path);
    if (res.status === 404) return null;
    if (!res.ok) throw unavailable(res);
    return res;
  };

  const client: TJlisClient = {
    baseUrl,
    fetch: f,
    responderCertificates,
    ocspUrl: `${baseUrl}/ocsp`,
    crlUrlOf(issuerFingerprint) {
      const p = crlPaths.get(issuerFingerprint);
      return p ? `${baseUrl}/crl/${p}` : undefined;
    },
    async ocspStatusBySerial({ serialHex, issuer, now }) {
      const serial = canonicalSerial(serialHex);
      // queryOcsp reads only `serial` and `serialHex` of the subject certificate (CertID, matching).
      const subject = { serial: BigInt(`0x${serial}`), serialHex: serial } as TCertificate;
      return queryOcsp({
        url: `${baseUrl}/ocsp`,
        certificate: subject,
        issuer: parseCertificateCached(issuer),
        now,
        responderCertificates: responderCertificates.map(parseCertificateCached),
        fetch: f,
        timeoutMs: TIMEOUT_MS,
      });
    },
    async supersededAmong(serials, o) {
      if (serials.length === 0) return [];
      const watched = new Set(serials.map((s) => canonicalSerial(s)));
      const index = (await (await get("/crl/index.json"))?.json()) as
        | { crls?: { path: string; purpose: string; dirName?: string }[] }
        | undefined;
      const paths = (index?.crls ?? [])
        .filter((c) => c.purpose === "auth" && !c.dirName && !c.path.includes("arl/"))
        .map((c) => c.path);
      const issuers = o.issuers.map(parseCertificateCached);
      const out = new Set<string>();
      for (const p of paths) {
        const res = await get(`/crl/${p}`);
        if (!res) continue;
        const crl = parseCrl(new Uint8Array(await res.arrayBuffer()));
        // The index and the CRLs come unsigned over HTTP: only a CRL signed by one of our anchors
        // counts (generations share a name, so the key decides), and it must be current (CRL_STALE, …).
        const issuer = issuers.find((c) => verifyCrlSignature(crl, c));
        if (!issuer) continue;
        assertCrlUsable(crl, issuer, o.now);
        for (const [serial, entry] of findRevoked(crl, watched).hits) {
          if (entry.reason === "superseded") out.add(serial.replace(/^0+(?=.)/, ""));
        }
      }
      return [...out];
    },
    async successorOf(serialHex) {
      const res = await get(`/link/successor/${canonicalSerial(serialHex)}`);
      if (!res) return null;
      const a = (await res.json()) as { successor?: string | null; latest?: string };
      return { successor: a.successor ?? null, latest: a.latest ?? serialHex };
    },
    async authSerialOfSign(signSerialHex) {
      const res = await get(`/link/sign-to-auth/${canonicalSerial(signSerialHex)}`);
      if (!res) return null;
      const a = ((await res.json().catch(() => undefined)) as { authSerial?: unknown } | undefined)?.authSerial;
      return typeof a === "string" ? canonicalSerial(a) : null;
    },
    async authCertificateOf(signCertificate) {
      const authSerial = await client.authSerialOfSign(parseCertificate(signCertificate).serialHex);
      return authSerial ? { serialHex: authSerial } : null;
    },
    async latestFactsOf(signSerialHex) {
      const res = await request(`/facts/${canonicalSerial(signSerialHex)}`);
      const body: unknown = await res.json().catch(() => undefined);
      if (res.status === 403 && errorCodeOf(body) === "JLIS_CONSENT_MISSING") return { consented: false };
      if (res.status === 404) return { consented: false };
      if (res.status !== 200) throw unavailable(res);
      const a = body as {
        facts: { name: string; address: string; dateOfBirth?: string; gender: TFourFacts["gender"] };
        deceased?: boolean;
        currentSignSerial?: string | null;
        asOf?: string;
      };
      return {
        consented: true,
        facts: {
          name: a.facts.name,
          address: a.facts.address,
          dateOfBirth: a.facts.dateOfBirth,
          gender: a.facts.gender,
        },
        deceased: a.deceased === true,
        currentSignSerial: a.currentSignSerial ?? null,
        asOf: a.asOf ?? new Date().toISOString(),
      };
    },
    async reportRegistryChange({ residentRef, facts }) {
      const res = await request("/registry/changes", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ residentRef, facts }),
      });
      if (res.status === 404) return null;
      if (!res.ok) throw unavailable(res);
      const a = (await res.json()) as {
        changed?: boolean;
        revoked?: { serial: string; purpose: "auth" | "sign"; reason: string }[];
        successorSignSerial?: string | null;
      };
      return {
        changed: a.changed === true,
        revoked: (a.revoked ?? []).map((r) => ({
          serialHex: canonicalSerial(r.serial),
          purpose: r.purpose,
          reason: r.reason,
        })),
        successorSignSerial: a.successorSignSerial ? canonicalSerial(a.successorSignSerial) : null,
      };
    },
    async reportRegistryEvent({ residentRef, event }) {
      const res = await request("/registry/events", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ residentRef, event }),
      });
      if (res.status === 404) return null;
      if (!res.ok) throw unavailable(res);
      const a = (await res.json()) as { revoked?: { serial: string; purpose: "auth" | "sign"; reason: string }[] };
      return {
        revoked: (a.revoked ?? []).map((r) => ({
          serialHex: canonicalSerial(r.serial),
          purpose: r.purpose,
          reason: r.reason,
        })),
      };
    },

    async issueCardAtCounter(body) {
      const res = await request("/counter/cards", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (!res.ok) {
        const code = errorCodeOf(await res.json().catch(() => undefined));
        if (
          code === "COUNTER_MUNICIPALITY_UNKNOWN" ||
          code === "COUNTER_UNAVAILABLE" ||
          code === "JLIS_CERT_NOT_ACTIVE"
        ) {
          throw new AppError(code);
        }
        throw unavailable(res);
      }
      const a = (await res.json()) as {
        authSerial: string;
        signSerial: string | null;
        revoked?: { serial: string; purpose: "auth" | "sign"; reason: string }[];
      };
      return {
        authSerial: canonicalSerial(a.authSerial),
        signSerial: a.signSerial ? canonicalSerial(a.signSerial) : null,
        revoked: (a.revoked ?? []).map((r) => ({
          serialHex: canonicalSerial(r.serial),
          purpose: r.purpose,
          reason: r.reason,
        })),
      };
    },

    async unlockCardPin({ residentRef, slot }) {
      const res = await request("/counter/pin-unlock", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ residentRef, slot }),
      });
      if (!res.ok) {
        const code = errorCodeOf(await res.json().catch(() => undefined));
        if (
          code === "COUNTER_CARD_NOT_FOUND" ||
          code === "COUNTER_PIN_NOT_LOCKED" ||
          code === "COUNTER_UNAVAILABLE" ||
          code === "JLIS_CERT_NOT_ACTIVE"
        ) {
          throw new AppError(code);
        }
        throw unavailable(res);
      }
      const a = (await res.json()) as { slot: "auth" | "sign"; triesLeft: number };
      return { slot: a.slot, triesLeft: a.triesLeft };
    },
  };
  return client;
}
