/**
 * The one interface every token back-end implements. A "token" is what the client calls a
 * provider: one PKCS#11 slot with its own PIN. Like OpenSC with `create_slots_for_pins = "all"`
 * (docs/card-agent-protocol.md#token-back-ends), one My Number Card is two tokens: the user-authentication slot
 * (CKA_ID 01) and the digital-signature slot (CKA_ID 02).
 */
import { createHash, X509Certificate } from "node:crypto";
import type { ProviderCrypto } from "@webcrypto-local/core";

export type TPinSlot = "auth" | "sign";

export type TLoginResult =
  | { ok: true }
  | { ok: false; triesLeft: number; locked: boolean; reason: "incorrect" | "locked" | "format" };

/** A certificate as listed by certificateStorage: index `x509-<handle hex>-<CKA_ID hex>`. */
export type TCertificateEntry = { index: string; der: Uint8Array; label: string };
/** A private key as listed by keyStorage: index `private-<handle hex>-<CKA_ID hex>`. */
export type TPrivateKeyEntry = {
  index: string;
  label: string;
  modulusLength: number;
  publicExponent: Uint8Array;
};

export type TToken = {
  /** Provider id: SHA-256 hex, stable while the token stays inserted. */
  readonly id: string;
  readonly pinSlot: TPinSlot;
  /** Token label; starts with "JPKI" for My Number Card tokens. */
  readonly label: string;
  /** Name shown in the agent's own UI. */
  readonly displayName: string;
  /** Key of the PIN try counter (token serial + label). */
  readonly serial: string;
  provider(): Promise<ProviderCrypto>;
  pinStatus(): Promise<{ triesLeft: number; maxTries: number }>;
  isLoggedIn(): boolean;
  login(pin: string): Promise<TLoginResult>;
  logout(): Promise<void>;
  certificates(): Promise<TCertificateEntry[]>;
  /** Private keys are listed only after login, as OpenSC marks JPKI keys private. */
  privateKeys(): Promise<TPrivateKeyEntry[]>;
  /** RSASSA-PKCS1-v1_5 with SHA-256 over `data`. */
  sign(keyIndex: string, data: Uint8Array): Promise<Uint8Array>;
};

export type TTokenBackend = {
  readonly name: string;
  /** Tokens present now. The same token must come back as the same object while inserted. */
  scan(): Promise<TToken[]>;
  close(): Promise<void>;
};

/** Retry counters as on the card (docs/jpki.md#pins-and-lock-counts). */
export const PIN_MAX_TRIES: Record<TPinSlot, number> = { auth: 3, sign: 5 };

/** OpenSC's object labels for the JPKI applet (pkcs15-jpki.c, docs/card-agent-protocol.md#token-back-ends). */
export const JPKI_LABELS = {
  authToken: "JPKI (User Authentication PIN)",
  signToken: "JPKI (Digital Signature PIN)",
  authCert: "User Authentication Certificate",
  authKey: "User Authentication Key",
  authCa: "User Authentication Certificate CA",
  signCert: "Digital Signature Certificate",
  signKey: "Digital Signature Key",
  signCa: "Digital Signature Certificate CA",
} as const;

export const sha256Hex = (...parts: string[]) => createHash("sha256").update(parts.join("\u0000")).digest("hex");

/** Storage index in node-webcrypto-p11's format, which the client's findPrivateKey relies on. */
export function storageIndex(type: "x509" | "private", handleHex: string, ckaIdHex: string): string {
  return `${type}-${handleHex}-${ckaIdHex}`;
}

/** Modulus length and public exponent of an RSA certificate's key (for the key's algorithm). */
export function rsaPublicParams(certificateDer: Uint8Array): { modulusLength: number; publicExponent: Uint8Array } {
  const jwk = new X509Certificate(certificateDer).publicKey.export({ format: "jwk" });
  const n = Buffer.from(jwk.n ?? "", "base64url");
  const e = Buffer.from(jwk.e ?? "", "base64url");
  return { modulusLength: n.length * 8, publicExponent: new Uint8Array(e) };
}
