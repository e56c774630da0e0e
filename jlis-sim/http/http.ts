/**
 * The simulated J-LIS over HTTP, as a web-standard `(Request) => Promise<Response>` handler
 * (served by ./server.ts in tests and tools, and by app/jlis/[...path]/route.ts in the portal).
 * Every endpoint is for registered verifiers only (docs/jpki.md#registered-verifiers): HTTP Basic `clientId:secret`
 * or `Authorization: Bearer <secret>`; anything else gets 401 JLIS_VERIFIER_UNAUTHORIZED.
 *
 * Under the base path (default `/jlis`):
 * - `GET /crl/index.json`: every CRL path, its issuer, and for partitions the DirName it answers
 * - `GET /crl/auth.crl`, `/crl/sign.crl`: full CRLs of the current production generation
 * - `GET /crl/sign/<municipalityCode>.crl`: a municipality partition (the sign certs' CRL DP)
 * - `GET /crl/arl/<purpose>-<generation>.crl`: the ARL of one root
 * - `GET /crl/gen<N>/…`: the same for an older generation; `/crl/test/…`: the O=JPKI-TEST roots
 * - `POST /ocsp` (application/ocsp-request), `GET /ocsp/<base64 or base64url DER>` (RFC 6960 App. A)
 * - `GET /link/sign-to-auth/<serialHex>`, `GET /link/successor/<serialHex>` (紐付け)
 * - `GET /facts/<signSerialHex>`: the latest four facts, if the resident consented
 * - `POST /registry/changes` `{ residentRef, facts }`: the municipality's registry changed a
 *   person's four facts (a move, a new name): their signing certificates are revoked
 *   `affiliationChanged` and a new one is issued and linked old → new (`changeFacts`); the same
 *   facts again change nothing; 404 JLIS_CERT_UNKNOWN for a person without a card
 * - `POST /registry/events` `{ residentRef, event }`: the municipality reports a registry event
 *   that ends certificates: `moved_out` (転出: active signing certificates revoked
 *   `affiliationChanged`), `died` (死亡: `death`), `card_lost` (紛失: both certificates of the card
 *   revoked `keyCompromise`), `card_returned` (返納・廃止: both certificates of the card revoked
 *   `cessationOfOperation`). Answers `{ revoked }`; a repeat revokes nothing more; 404
 *   JLIS_CERT_UNKNOWN for a person without a card
 * - `POST /counter/pin-unlock` `{ residentRef, slot }`: the counter's card terminal resets the
 *   locked `auth` or `sign` PIN of the resident's current card after the municipality checked the
 *   holder's identity (../counter/pin-unlock.ts); answers `{ slot, triesLeft }`; 404
 *   COUNTER_CARD_NOT_FOUND, 409 COUNTER_PIN_NOT_LOCKED or JLIS_CERT_NOT_ACTIVE, 503
 *   COUNTER_UNAVAILABLE when the simulator has no cards directory (`counter` option)
 * - `POST /counter/cards` `{ residentRef, facts, municipalityCode, displayName }`: 交付 — a new
 *   card with the registry's four facts written at the counter, the previous card's certificates
 *   revoked (../counter/issue-card.ts), the initial PINs on a one-time slip in the slips
 *   directory; answers `{ authSerial, signSerial, revoked, slip }` (no PIN)
 */
import { z } from "zod";
import { AppError, toErrorResponse } from "@/lib/errors/app-error";
import { assertSafeJson } from "@/lib/http/safe-text";
import type { IssuedCredential } from "../cards/lifecycle";
import type { CrlScope, SimulatedJlis } from "../jlis";
import { issueCardAtCounter } from "../counter/issue-card";
import { unlockPinAtCounter } from "../counter/pin-unlock";
import { respondOcsp } from "./ocsp-responder";
import type { Hierarchy } from "../ca/profiles";

/** Decides whether credentials belong to a registered verifier. */
export type VerifierCredentialCheck = (credentials: {
  clientId: string | undefined;
  secret: string;
}) => boolean | Promise<boolean>;

export type JlisHandlerOptions = {
  /** clientId → secret, or a check function (e.g. `({clientId, secret}) => jlis.checkVerifier(clientId, secret)`). */
  verifierCredentials: ReadonlyMap<string, string> | VerifierCredentialCheck;
  /** Path prefix the handler is mounted at; default `/jlis`. */
  basePath?: string;
  /** Largest OCSP request body accepted; default 64 KiB. */
  maxOcspRequestBytes?: number;
  /**
   * Where a signing key J-LIS re-issued on a registry change goes (the holder's new signing
   * certificate, as the counter writes it onto the card). J-LIS keeps no private key: without a
   * hook the key is dropped and the card keeps its revoked certificate until it is re-issued.
   */
  onSignReissued?: (o: { residentRef: string; tokenType: string; sign: IssuedCredential }) => Promise<void>;
  /**
   * The counter's card terminal: the directory of the virtual cards "at the counter"
   * (CARD_AGENT_CARDS_DIR). Without it the counter endpoints answer 503 COUNTER_UNAVAILABLE.
   */
  counter?: {
    cardsDir: string;
    /** Where the counter prints the one-time initial PIN slips of the cards it issues. */
    slipsDir: string;
  };
};

const ZCounterIssue = z.strictObject({
  residentRef: z.string().min(1).max(64),
  facts: z.strictObject({
    name: z.string().min(1).max(200),
    address: z.string().min(1).max(400),
    dateOfBirth: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    gender: z.enum(["male", "female", "unknown"]),
  }),
  municipalityCode: z.string().regex(/^\d{5,6}$/),
  displayName: z.string().min(1).max(100),
});

async function counterIssue(sim: SimulatedJlis, req: Request, options: JlisHandlerOptions): Promise<Response> {
  const body = ZCounterIssue.parse(await registryBody(req));
  if (!options.counter) throw new AppError("COUNTER_UNAVAILABLE");
  return json(200, await issueCardAtCounter({ jlis: sim, ...options.counter, ...body }));
}

const ZPinUnlock = z.strictObject({
  residentRef: z.string().min(1).max(64),
  slot: z.enum(["auth", "sign"]),
});

async function pinUnlock(sim: SimulatedJlis, req: Request, options: JlisHandlerOptions): Promise<Response> {
  const { residentRef, slot } = ZPinUnlock.parse(await registryBody(req));
  if (!options.counter) throw new AppError("COUNTER_UNAVAILABLE");
  return json(200, await unlockPinAtCounter({ jlis: sim, cardsDir: options.counter.cardsDir, residentRef, slot }));
}

const ZRegistryChange = z.strictObject({
  residentRef: z.string().min(1).max(64),
  facts: z
    .strictObject({
      name: z.string().min(1).max(200).optional(),
      address: z.string().min(1).max(400).optional(),
      dateOfBirth: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/)
        .optional(),
      gender: z.enum(["male", "female", "unknown"]).optional(),
    })
    .refine((f) => Object.keys(f).length > 0, "at least one fact"),
});

const MAX_REGISTRY_CHANGE_BYTES = 16 * 1024;

/** A small JSON body of the registry endpoints, size-limited and free of unsafe text. */
async function registryBody(req: Request): Promise<unknown> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > MAX_REGISTRY_CHANGE_BYTES) throw new AppError("PAYLOAD_TOO_LARGE");
  // A chunked body has no content-length: its real size counts too.
  const text = await req.text();
  if (text.length > MAX_REGISTRY_CHANGE_BYTES) throw new AppError("PAYLOAD_TOO_LARGE");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError("BAD_JSON");
  }
  assertSafeJson(body);
  return body;
}

const ZRegistryEvent = z.strictObject({
  residentRef: z.string().min(1).max(64),
  event: z.enum(["moved_out", "died", "card_lost", "card_returned"]),
});

async function registryEvent(sim: SimulatedJlis, req: Request): Promise<Response> {
  const { residentRef, event } = ZRegistryEvent.parse(await registryBody(req));
  const resident = sim.resident(residentRef);
  if (!resident) throw new AppError("JLIS_CERT_UNKNOWN", { details: { residentRef } });
  const isActive = (serial: string | undefined): serial is string =>
    serial !== undefined && sim.certificate(serial)?.revokedAt === undefined;
  let revoked: { serial: string; purpose: string; reason: string }[] = [];
  if (event === "died") {
    revoked = resident.deceasedAt ? [] : (await sim.death({ residentRef })).revoked;
  } else if (event === "card_lost") {
    const card = resident.tokens.card;
    revoked = isActive(card?.auth) || isActive(card?.sign) ? (await sim.reportLost({ residentRef })).revoked : [];
  } else if (event === "card_returned") {
    const card = resident.tokens.card;
    for (const serial of [card?.sign, card?.auth]) {
      if (isActive(serial)) {
        revoked.push(...(await sim.revoke({ serialHex: serial, reason: "cessationOfOperation" })).revoked);
      }
    }
  } else {
    for (const slots of Object.values(resident.tokens)) {
      if (isActive(slots?.sign)) {
        revoked.push(...(await sim.revoke({ serialHex: slots.sign, reason: "affiliationChanged" })).revoked);
      }
    }
  }
  return json(200, { revoked: revoked.map((r) => ({ serial: r.serial, purpose: r.purpose, reason: r.reason })) });
}

async function registryChange(sim: SimulatedJlis, req: Request, options: JlisHandlerOptions): Promise<Response> {
  const { residentRef, facts } = ZRegistryChange.parse(await registryBody(req));
  const resident = sim.resident(residentRef);
  if (!resident) throw new AppError("JLIS_CERT_UNKNOWN", { details: { residentRef } });
  const given = Object.entries(facts) as [keyof typeof facts, string][];
  if (given.every(([k, v]) => resident.facts[k] === v)) {
    return json(200, { changed: false, revoked: [], successorSignSerial: null });
  }
  const result = await sim.changeFacts({ residentRef, facts });
  if (result.sign && options.onSignReissued) {
    await options.onSignReissued({ residentRef, tokenType: result.tokenType, sign: result.sign });
  }
  return json(200, {
    changed: true,
    revoked: result.revoked.map((r) => ({ serial: r.serial, purpose: r.purpose, reason: r.reason })),
    successorSignSerial: result.sign?.serial ?? null,
  });
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

function errorResponse(err: unknown): Response {
  const { status, body } = toErrorResponse(err);
  const headers: Record<string, string> =
    status === 401 ? { "www-authenticate": 'Basic realm="J-LIS", charset="UTF-8", Bearer realm="J-LIS"' } : {};
  return json(status, body, headers);
}

function binary(data: Uint8Array, contentType: string, headers: Record<string, string> = {}): Response {
  return new Response(new Uint8Array(data), {
    status: 200,
    headers: { "content-type": contentType, "content-length": String(data.length), ...headers },
  });
}

function parseAuthorization(header: string | null): { clientId: string | undefined; secret: string } | undefined {
  if (!header) return undefined;
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (!scheme || !value) return undefined;
  if (scheme.toLowerCase() === "bearer") return { clientId: undefined, secret: value };
  if (scheme.toLowerCase() === "basic") {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon <= 0) return undefined;
    return { clientId: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
  }
  return undefined;
}

async function isAuthorized(req: Request, check: JlisHandlerOptions["verifierCredentials"]): Promise<boolean> {
  const credentials = parseAuthorization(req.headers.get("authorization"));
  if (!credentials || credentials.secret.length === 0) return false;
  if (typeof check === "function") return check(credentials);
  if (credentials.clientId === undefined) return [...check.values()].includes(credentials.secret);
  return check.get(credentials.clientId) === credentials.secret;
}

/** Decode `/crl/…` into a scope; undefined for anything that is not a CRL path. */
function crlScopeOf(segments: string[]): CrlScope | undefined {
  let rest = segments;
  let hierarchy: Hierarchy = "production";
  if (rest[0] === "test") {
    hierarchy = "test";
    rest = rest.slice(1);
  }
  if (rest[0] === "arl" && rest.length === 2) {
    const m = /^(auth|sign)-(\d{1,3})\.crl$/.exec(rest[1]!);
    return m ? { hierarchy, purpose: m[1] as "auth" | "sign", generation: Number(m[2]), arl: true } : undefined;
  }
  let generation: number | undefined;
  const gen = rest[0] ? /^gen(\d{1,3})$/.exec(rest[0]) : null;
  if (gen) {
    generation = Number(gen[1]);
    rest = rest.slice(1);
  }
  if (rest.length === 1) {
    const m = /^(auth|sign)\.crl$/.exec(rest[0]!);
    return m ? { hierarchy, purpose: m[1] as "auth" | "sign", generation } : undefined;
  }
  if (rest.length === 2 && rest[0] === "sign") {
    const m = /^(\d{5,6})\.crl$/.exec(rest[1]!);
    return m ? { hierarchy, purpose: "sign", generation, municipalityCode: m[1] } : undefined;
  }
  return undefined;
}

function decodeOcspGet(encoded: string): Uint8Array | undefined {
  // RFC 6960 Appendix A.1: base64 of the DER, URL-encoded; base64url is accepted too.
  let text: string;
  try {
    text = decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
  if (!/^[A-Za-z0-9+/_-]+=*$/.test(text)) return undefined;
  return new Uint8Array(Buffer.from(text.replaceAll("-", "+").replaceAll("_", "/"), "base64"));
}

const notFound = () => new AppError("NOT_FOUND");

/**
 * Build the J-LIS HTTP handler. `jlis` may be a getter, so a route can load the simulator
 * lazily (and report JLIS_NOT_INITIALIZED per request until it exists).
 */
export function createJlisHandler(
  jlis: SimulatedJlis | (() => Promise<SimulatedJlis>),
  options: JlisHandlerOptions,
): (req: Request) => Promise<Response> {
  const basePath = (options.basePath ?? "/jlis").replace(/\/+$/, "");
  const maxOcsp = options.maxOcspRequestBytes ?? 64 * 1024;

  return async (req) => {
    try {
      const url = new URL(req.url);
      if (!url.pathname.startsWith(`${basePath}/`)) throw notFound();
      if (!(await isAuthorized(req, options.verifierCredentials))) throw new AppError("JLIS_VERIFIER_UNAUTHORIZED");
      const sim = typeof jlis === "function" ? await jlis() : jlis;
      await sim.syncFromStore();
      const segments = url.pathname.slice(basePath.length + 1).split("/");
      const [head, ...rest] = segments;

      if (head === "ocsp") {
        let body: Uint8Array | undefined;
        if (req.method === "POST" && rest.length === 0) {
          const declared = Number(req.headers.get("content-length") ?? "0");
          if (declared > maxOcsp) throw new AppError("PAYLOAD_TOO_LARGE");
          body = new Uint8Array(await req.arrayBuffer());
          if (body.length > maxOcsp) throw new AppError("PAYLOAD_TOO_LARGE");
        } else if (req.method === "GET" && rest.length >= 1) {
          // Base64 may contain "/", which splits into further segments.
          body = decodeOcspGet(rest.join("/"));
        } else {
          throw notFound();
        }
        const der = await respondOcsp(sim, body ?? new Uint8Array(0));
        return binary(der, "application/ocsp-response", { "cache-control": "no-store" });
      }
      if (head === "registry" && rest.length === 1 && rest[0] === "changes" && req.method === "POST") {
        return await registryChange(sim, req, options);
      }
      if (head === "registry" && rest.length === 1 && rest[0] === "events" && req.method === "POST") {
        return await registryEvent(sim, req);
      }
      if (head === "counter" && rest.length === 1 && rest[0] === "cards" && req.method === "POST") {
        return await counterIssue(sim, req, options);
      }
      if (head === "counter" && rest.length === 1 && rest[0] === "pin-unlock" && req.method === "POST") {
        return await pinUnlock(sim, req, options);
      }
      if (req.method !== "GET") throw notFound();

      if (head === "crl") {
        if (rest.length === 1 && rest[0] === "index.json") return json(200, { crls: sim.crlIndex() });
        const scope = crlScopeOf(rest);
        if (!scope) throw notFound();
        const crl = await sim.crl(scope);
        return binary(crl.der, "application/pkix-crl", {
          "last-modified": crl.thisUpdate.toUTCString(),
          expires: crl.nextUpdate.toUTCString(),
          etag: `"${crl.scopeId}#${crl.crlNumber}"`,
        });
      }
      if (head === "link" && rest.length === 2 && rest[0] === "sign-to-auth") {
        return json(200, sim.linkSignToAuth(rest[1]!));
      }
      if (head === "link" && rest.length === 2 && rest[0] === "successor") {
        return json(200, sim.successorOf(rest[1]!));
      }
      if (head === "facts" && rest.length === 1) {
        return json(200, sim.latestFacts(rest[0]!));
      }
      throw notFound();
    } catch (err) {
      return errorResponse(err);
    }
  };
}
