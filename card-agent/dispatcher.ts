/**
 * Action dispatcher: one decrypted ActionProto in, one ResultProto out (docs/card-agent-protocol.md#messages-and-actions).
 * Every action gets an answer — an unknown one gets error 201 — because the client waits forever
 * for an answer that never comes (docs/card-agent-protocol.md#messages-and-actions).
 */
import "reflect-metadata";
import { createHash } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { challenge } from "@webcrypto-local/core";
import * as Proto from "@webcrypto-local/proto";
import { AppError } from "../lib/errors/app-error";
import type { TAgentContext, TConnectionState } from "./context";
import { rsaPublicParams, type TToken } from "./tokens/token";

/** An error as the client receives it: `CryptoServerError{code,type,message}`. */
export class WireError extends Error {
  readonly code: number;
  readonly type: string;
  constructor(code: number, message: string, type = "wcl") {
    super(message);
    this.code = code;
    this.type = type;
  }
}

/** WebCryptoLocalError codes the client knows (docs/card-agent-protocol.md#messages-and-actions), plus PKCS#11 return values. */
export const WCL = {
  NOT_APPROVED: 101,
  ACTION_NOT_IMPLEMENTED: 201,
  UNKNOWN_HANDLE: 351,
  PROVIDER_NOT_FOUND: 402,
  NOT_AUTHORIZED: 602,
  PIN_CANCELLED: 10001,
} as const;
const CKR = { PIN_INCORRECT: 0xa0, PIN_INVALID: 0xa1, PIN_LOCKED: 0xa4, USER_NOT_LOGGED_IN: 0x101 } as const;

const enc = new TextEncoder();
const bytes = (u: Uint8Array | string): ArrayBuffer => {
  const v = typeof u === "string" ? enc.encode(u) : u;
  return v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength) as ArrayBuffer;
};

type THandler = (ctx: TAgentContext, conn: TConnectionState, raw: ArrayBuffer) => Promise<ArrayBuffer | undefined>;

function tokenOf(ctx: TAgentContext, providerID: string): TToken {
  const t = ctx.registry.get(providerID);
  if (!t) throw new WireError(WCL.PROVIDER_NOT_FOUND, `Provider '${providerID}' not found`);
  return t;
}

/** Opaque handle (docs/card-agent-protocol.md#messages-and-actions): SHA-256 hex, resolvable only on this connection. */
function handleFor(conn: TConnectionState, providerId: string, index: string, kind: "x509" | "private" | "public") {
  const id = createHash("sha256").update(`${conn.handleSalt}|${providerId}|${index}|${kind}`).digest("hex");
  conn.handles.set(id, { providerId, index, kind });
  return id;
}

function resolveHandle(conn: TConnectionState, id: string, kind: "x509" | "private") {
  const h = conn.handles.get(id);
  if (!h || h.kind !== kind) throw new WireError(WCL.UNKNOWN_HANDLE, `Unknown ${kind} handle`);
  return h;
}

function rsaAlgorithm(
  requested: Proto.AlgorithmProto | undefined,
  modulusLength: number,
  publicExponent: Uint8Array,
): Algorithm {
  const name = requested?.name || "RSASSA-PKCS1-v1_5";
  const hash = requested?.hash?.name || "SHA-256";
  if (name !== "RSASSA-PKCS1-v1_5" || hash !== "SHA-256") {
    throw new WireError(
      0,
      `Unsupported algorithm ${name}/${hash}: JPKI keys sign RSASSA-PKCS1-v1_5 with SHA-256`,
      "error",
    );
  }
  return { name, hash: { name: hash }, modulusLength, publicExponent } as Algorithm;
}

function certificateProto(
  conn: TConnectionState,
  providerId: string,
  entry: { index: string; der: Uint8Array; label: string },
  requested?: Proto.AlgorithmProto,
): Proto.CryptoX509CertificateProto {
  const cert = new x509.X509Certificate(bytes(entry.der));
  const rsa = rsaPublicParams(entry.der);
  const proto = new Proto.CryptoX509CertificateProto();
  proto.providerID = providerId;
  proto.id = handleFor(conn, providerId, entry.index, "x509");
  proto.type = "x509";
  proto.label = entry.label;
  proto.token = true;
  proto.sensitive = false;
  proto.serialNumber = cert.serialNumber.length % 2 ? `0${cert.serialNumber}` : cert.serialNumber;
  proto.issuerName = cert.issuer;
  proto.subjectName = cert.subject;
  proto.notBefore = cert.notBefore;
  proto.notAfter = cert.notAfter;
  const pub = new Proto.CryptoKeyProto();
  pub.providerID = providerId;
  pub.id = handleFor(conn, providerId, entry.index, "public");
  pub.type = "public";
  pub.algorithm = rsaAlgorithm(requested, rsa.modulusLength, rsa.publicExponent);
  pub.extractable = true;
  pub.usages = ["verify"];
  proto.publicKey = pub;
  return proto;
}

/** Logged in for this connection: the token's PIN was entered for this socket (context.ts loginOwners). */
function loggedInFor(ctx: TAgentContext, conn: TConnectionState, providerID: string): boolean {
  return tokenOf(ctx, providerID).isLoggedIn() && ctx.loginOwners.get(providerID) === conn;
}

async function releaseLogin(ctx: TAgentContext, conn: TConnectionState, providerID: string): Promise<void> {
  const owner = ctx.loginOwners.get(providerID);
  if (owner && owner !== conn) return; // another page's login is not ours to end
  ctx.loginOwners.delete(providerID);
  await tokenOf(ctx, providerID).logout();
}

async function findCertificate(token: TToken, index: string) {
  return (await token.certificates()).find((c) => c.index === index);
}

/** Collects the PIN from the agent's own UI (or, in the unsafe test mode, from the environment). */
async function collectPin(ctx: TAgentContext, conn: TConnectionState, token: TToken): Promise<string | null> {
  if (ctx.options.testMode) {
    const pin = ctx.options.testPins[token.pinSlot] ?? ctx.options.testPins.any;
    if (pin !== undefined) return pin;
  }
  const { triesLeft, maxTries } = await token.pinStatus();
  ctx.log(`PIN requested by ${conn.origin} for ${token.displayName} — enter it at ${ctx.uiUrl()}`);
  return ctx.broker.requestPin(
    {
      origin: conn.origin,
      tokenId: token.id,
      tokenLabel: token.label,
      displayName: token.displayName,
      slot: token.pinSlot,
      triesLeft,
      maxTries,
    },
    conn.closed,
  );
}

const handlers: Record<string, THandler> = {
  [Proto.ServerIsLoggedInActionProto.ACTION]: async (_ctx, conn) => bytes(new Uint8Array([conn.authorized ? 1 : 0])),

  [Proto.ServerLoginActionProto.ACTION]: async (ctx, conn) => {
    if (conn.authorized) return undefined;
    const code = await challenge(conn.serverSigningKey, conn.clientSigningKey);
    let approved: boolean;
    let how: "user" | "test-mode" = "user";
    if (ctx.options.testMode) {
      approved = true;
      how = "test-mode";
      ctx.log(`TEST MODE: auto-approved pairing for ${conn.origin} (code ${code})`);
    } else {
      ctx.log(`Pairing requested by ${conn.origin}, code ${code} — approve or deny at ${ctx.uiUrl()}`);
      approved = await ctx.broker.requestApproval(
        { origin: conn.origin, code, userAgent: conn.userAgent },
        conn.closed,
      );
    }
    if (!approved) throw new WireError(WCL.NOT_APPROVED, "RATCHET_KEY_NOT_APPROVED");
    await ctx.approvals.add({ origin: conn.origin, clientKeyId: conn.clientKeyId, userAgent: conn.userAgent, how });
    conn.authorized = true;
    return undefined;
  },

  [Proto.ProviderInfoActionProto.ACTION]: async (ctx) => {
    const info = new Proto.ProviderInfoProto();
    info.name = "ichimai card agent";
    info.providers = await Promise.all(
      ctx.registry.list().map(async (t) => new Proto.ProviderCryptoProto(await t.provider())),
    );
    return info.exportProto();
  },

  [Proto.ProviderGetCryptoActionProto.ACTION]: async (ctx, _conn, raw) => {
    const req = await Proto.ProviderGetCryptoActionProto.importProto(raw);
    tokenOf(ctx, req.cryptoID);
    return undefined;
  },

  [Proto.IsLoggedInActionProto.ACTION]: async (ctx, conn, raw) => {
    const req = await Proto.IsLoggedInActionProto.importProto(raw);
    return bytes(new Uint8Array([loggedInFor(ctx, conn, req.providerID) ? 1 : 0]));
  },

  [Proto.LoginActionProto.ACTION]: async (ctx, conn, raw) => {
    const req = await Proto.LoginActionProto.importProto(raw);
    const token = tokenOf(ctx, req.providerID);
    if (loggedInFor(ctx, conn, req.providerID)) return undefined;
    if (token.isLoggedIn()) {
      // Logged in for another connection: that login ends, and this one must enter the PIN itself.
      ctx.loginOwners.delete(req.providerID);
      await token.logout();
    }
    if ((await token.pinStatus()).triesLeft <= 0) {
      throw new WireError(
        CKR.PIN_LOCKED,
        "CKR_PIN_LOCKED: the PIN is locked (reset it at the municipal office)",
        "pkcs11",
      );
    }
    const pin = await collectPin(ctx, conn, token);
    if (pin === null) throw new WireError(WCL.PIN_CANCELLED, "PIN entry was cancelled");
    const r = await token.login(pin);
    if (r.ok) {
      ctx.loginOwners.set(req.providerID, conn);
      return undefined;
    }
    if (r.locked) {
      throw new WireError(
        CKR.PIN_LOCKED,
        "CKR_PIN_LOCKED: the PIN is locked (reset it at the municipal office)",
        "pkcs11",
      );
    }
    if (r.reason === "format") {
      throw new WireError(CKR.PIN_INVALID, `CKR_PIN_INVALID: wrong PIN format; triesLeft=${r.triesLeft}`, "pkcs11");
    }
    throw new WireError(CKR.PIN_INCORRECT, `CKR_PIN_INCORRECT: triesLeft=${r.triesLeft}`, "pkcs11");
  },

  [Proto.LogoutActionProto.ACTION]: async (ctx, conn, raw) => {
    const req = await Proto.LogoutActionProto.importProto(raw);
    await releaseLogin(ctx, conn, req.providerID);
    return undefined;
  },

  [Proto.ResetActionProto.ACTION]: async (ctx, conn, raw) => {
    const req = await Proto.ResetActionProto.importProto(raw);
    await releaseLogin(ctx, conn, req.providerID);
    return undefined;
  },

  [Proto.CertificateStorageKeysActionProto.ACTION]: async (ctx, _conn, raw) => {
    const req = await Proto.CertificateStorageKeysActionProto.importProto(raw);
    const list = await tokenOf(ctx, req.providerID).certificates();
    return bytes(list.map((c) => c.index).join(","));
  },

  [Proto.CertificateStorageGetValueActionProto.ACTION]: async (ctx, _conn, raw) => {
    const req = await Proto.CertificateStorageGetValueActionProto.importProto(raw);
    const entry = await findCertificate(tokenOf(ctx, req.providerID), req.key);
    return entry ? bytes(entry.der) : undefined;
  },

  [Proto.CertificateStorageGetItemActionProto.ACTION]: async (ctx, conn, raw) => {
    const req = await Proto.CertificateStorageGetItemActionProto.importProto(raw);
    const entry = await findCertificate(tokenOf(ctx, req.providerID), req.key);
    if (!entry) return undefined;
    const requested = req.algorithm && !req.algorithm.isEmpty() ? req.algorithm : undefined;
    return certificateProto(conn, req.providerID, entry, requested).exportProto();
  },

  [Proto.CertificateStorageExportActionProto.ACTION]: async (ctx, conn, raw) => {
    const req = await Proto.CertificateStorageExportActionProto.importProto(raw);
    const h = resolveHandle(conn, req.item.id, "x509");
    const entry = await findCertificate(tokenOf(ctx, h.providerId), h.index);
    if (!entry) throw new WireError(WCL.UNKNOWN_HANDLE, "The certificate is no longer on the token");
    return bytes(entry.der);
  },

  [Proto.CertificateStorageIndexOfActionProto.ACTION]: async (ctx, conn, raw) => {
    const req = await Proto.CertificateStorageIndexOfActionProto.importProto(raw);
    const h = conn.handles.get(req.item.id);
    if (h?.kind !== "x509" || h.providerId !== req.providerID) return undefined;
    return (await findCertificate(tokenOf(ctx, h.providerId), h.index)) ? bytes(h.index) : undefined;
  },

  [Proto.KeyStorageKeysActionProto.ACTION]: async (ctx, conn, raw) => {
    const req = await Proto.KeyStorageKeysActionProto.importProto(raw);
    if (!loggedInFor(ctx, conn, req.providerID)) return bytes("");
    const keys = await tokenOf(ctx, req.providerID).privateKeys();
    return bytes(keys.map((k) => k.index).join(","));
  },

  [Proto.KeyStorageGetItemActionProto.ACTION]: async (ctx, conn, raw) => {
    const req = await Proto.KeyStorageGetItemActionProto.importProto(raw);
    if (!loggedInFor(ctx, conn, req.providerID)) return undefined;
    const key = (await tokenOf(ctx, req.providerID).privateKeys()).find((k) => k.index === req.key);
    if (!key) return undefined;
    const requested = req.algorithm && !req.algorithm.isEmpty() ? req.algorithm : undefined;
    const proto = new Proto.CryptoKeyProto();
    proto.providerID = req.providerID;
    proto.id = handleFor(conn, req.providerID, key.index, "private");
    proto.type = "private";
    proto.algorithm = rsaAlgorithm(requested, key.modulusLength, key.publicExponent);
    proto.extractable = false;
    proto.usages = ["sign"];
    return proto.exportProto();
  },

  [Proto.SignActionProto.ACTION]: async (ctx, conn, raw) => {
    const req = await Proto.SignActionProto.importProto(raw);
    const h = resolveHandle(conn, req.key.id, "private");
    if (h.providerId !== req.providerID) throw new WireError(WCL.UNKNOWN_HANDLE, "The key belongs to another provider");
    if (req.algorithm.name !== "RSASSA-PKCS1-v1_5") {
      throw new WireError(0, `Unsupported algorithm ${req.algorithm.name}`, "error");
    }
    if (!loggedInFor(ctx, conn, h.providerId)) {
      throw new WireError(
        CKR.USER_NOT_LOGGED_IN,
        "CKR_USER_NOT_LOGGED_IN: enter the PIN for this page first",
        "pkcs11",
      );
    }
    const sig = await tokenOf(ctx, h.providerId).sign(h.index, new Uint8Array(req.data));
    return bytes(sig);
  },
};

const UNAUTHORISED_ALLOWED = new Set([Proto.ServerIsLoggedInActionProto.ACTION, Proto.ServerLoginActionProto.ACTION]);

/** Runs one action and builds its answer; never throws. */
export async function dispatch(
  ctx: TAgentContext,
  conn: TConnectionState,
  raw: ArrayBuffer,
): Promise<Proto.ResultProto> {
  const action = await Proto.ActionProto.importProto(raw);
  const result = new Proto.ResultProto(action);
  try {
    if (!UNAUTHORISED_ALLOWED.has(action.action)) {
      // Re-checked on every action, so `approvals revoke` takes effect on live sessions too.
      if (!conn.authorized || !(await ctx.approvals.isApproved(conn.origin, conn.clientKeyId))) {
        conn.authorized = false;
        throw new WireError(WCL.NOT_AUTHORIZED, "404: Not authorized");
      }
    }
    const handler = handlers[action.action];
    if (!handler) {
      throw new WireError(WCL.ACTION_NOT_IMPLEMENTED, `Action '${action.action}' is not implemented by this agent`);
    }
    const data = await handler(ctx, conn, raw);
    result.status = true;
    if (data) result.data = data;
  } catch (e) {
    result.status = false;
    result.error = toErrorProto(e);
    if (!(e instanceof WireError)) ctx.log(`Action ${action.action} failed: ${(e as Error).stack ?? e}`);
  }
  return result;
}

function toErrorProto(e: unknown): Proto.ErrorProto {
  if (e instanceof WireError) return new Proto.ErrorProto(e.message, e.code, e.type);
  if (e instanceof AppError && e.code === "PIN_NOT_VERIFIED") {
    return new Proto.ErrorProto(`CKR_USER_NOT_LOGGED_IN: ${e.message}`, CKR.USER_NOT_LOGGED_IN, "pkcs11");
  }
  const message = e instanceof Error && e.message ? e.message : "Internal error";
  // pkcs11js errors read "CKR_X"; keep the code name so the page can react to it.
  return new Proto.ErrorProto(message, 0, /^CKR_/.test(message) ? "pkcs11" : "error");
}
