/**
 * The soft token ("virtual card"): one JSON file per simulated My Number Card, format tag
 * `ichimai-virtual-card/1`. It behaves like the JPKI-AP of a real card (docs/jpki.md#card-files-and-token-labels,
 * #pins-and-lock-counts) as far as the card agent can see it:
 *
 * - the user-authentication certificate (EF 000A) and both CA certificates are readable without a PIN;
 * - the signing certificate (EF 0001) is readable only after the signing PIN was verified;
 * - each private key signs only after its own PIN was verified;
 * - auth PIN: exactly 4 digits, 3 tries; sign PIN: 6–16 of A–Z0–9 with at least one letter and
 *   one digit, 5 tries; a correct PIN resets the counter; at 0 the slot is locked and refuses
 *   even the right PIN. The counters live in the file and survive restarts.
 *
 * Each private key (and the signing certificate) is sealed with AES-256-GCM under a key derived
 * from that slot's PIN with scrypt and a random salt, so a wrong PIN really fails to authenticate
 * (there is no PIN hash to compare against) and the file alone does not give the key away.
 * The AAD binds each sealed blob to the format, the card serial and the slot, so blobs cannot be
 * swapped between slots or cards.
 */
import {
  createPrivateKey,
  randomBytes,
  scrypt as scryptCb,
  sign,
  verify,
  X509Certificate,
  webcrypto,
} from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { AppError } from "../../lib/errors/app-error";
import { writeFileAtomic as writeAtomic } from "../json-file";

export const VIRTUAL_CARD_FORMAT = "ichimai-virtual-card/1";

export type TSlotName = "auth" | "sign";
export type TTokenType = "card" | "android" | "iphone";

/** Token labels of EF 0006 per token type (docs/jpki.md#card-files-and-token-labels). */
export const TOKEN_LABELS: Record<TTokenType, string> = {
  card: "JPKIAPICCTOKEN2",
  android: "JPKIAPGPSETOKEN",
  iphone: "JPKIAPIOSTOKEN",
};

/** Retry counters as on the card (docs/jpki.md#pins-and-lock-counts). */
export const MAX_TRIES: Record<TSlotName, number> = { auth: 3, sign: 5 };

export type VirtualCardSlotInput = {
  certificate: Uint8Array;
  caCertificate: Uint8Array;
  /** Extractable RSASSA-PKCS1-v1_5 private key matching `certificate`. */
  privateKey: CryptoKey;
  pin: string;
};

export type WriteVirtualCardOptions = {
  /** JPKIAPICCTOKEN2 | JPKIAPGPSETOKEN | JPKIAPIOSTOKEN; must match tokenType. */
  label: string;
  tokenType: TTokenType;
  /** Free reference to the holder in the simulator (never shown to the portal). */
  holderRef?: string;
  /** Name shown in the agent's own UI ("Taro's card"). */
  displayName?: string;
  auth: VirtualCardSlotInput;
  sign?: VirtualCardSlotInput;
};

export type TVerifyPinResult = { ok: true } | { ok: false; triesLeft: number; locked: boolean };

const AUTH_PIN = /^[0-9]{4}$/;
const SIGN_PIN = /^(?=.*[A-Z])(?=.*[0-9])[A-Z0-9]{6,16}$/;

/** Whether `pin` has the format the card accepts for `slot` (docs/jpki.md#pins-and-lock-counts). */
export function isPinFormatValid(slot: TSlotName, pin: string): boolean {
  return slot === "auth" ? AUTH_PIN.test(pin) : SIGN_PIN.test(pin);
}

function assertPinFormat(slot: TSlotName, pin: string): void {
  if (!isPinFormatValid(slot, pin)) {
    throw new AppError("PIN_FORMAT_INVALID", {
      message:
        slot === "auth"
          ? "The user-authentication PIN must be exactly 4 digits."
          : "The signing PIN must be 6–16 characters of A–Z and 0–9 with at least one letter and one digit.",
    });
  }
}

// scrypt cost: N=2^14, r=8 takes ~50 ms here; enough for a simulator file, cheap for the tests.
const KDF = { name: "scrypt", N: 16384, r: 8, p: 1 } as const;

const ZB64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
const ZSealed = z.object({ iv: ZB64, data: ZB64 });
const ZSlot = z.object({
  triesLeft: z.number().int().min(0),
  maxTries: z.number().int().min(1),
  kdf: z.object({
    name: z.literal("scrypt"),
    N: z.number().int(),
    r: z.number().int(),
    p: z.number().int(),
    salt: ZB64,
  }),
  /** Present for the auth slot (public on the card); the sign certificate is sealed. */
  certificate: ZB64.optional(),
  sealedCertificate: ZSealed.optional(),
  caCertificate: ZB64,
  sealedKey: ZSealed,
});
const ZFile = z.object({
  format: z.literal(VIRTUAL_CARD_FORMAT),
  label: z.string(),
  tokenType: z.enum(["card", "android", "iphone"]),
  serial: z.string().regex(/^[0-9a-f]{16}$/),
  holderRef: z.string().optional(),
  displayName: z.string().optional(),
  createdAt: z.string(),
  slots: z.object({ auth: ZSlot, sign: ZSlot.optional() }),
});
type TFile = z.infer<typeof ZFile>;
type TSlotFile = z.infer<typeof ZSlot>;

const b64 = (u: Uint8Array) => Buffer.from(u).toString("base64");
const unb64 = (s: string) => new Uint8Array(Buffer.from(s, "base64"));

function deriveKey(pin: string, salt: Uint8Array, kdf: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(pin, salt, 32, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

function aad(serial: string, slot: TSlotName, what: "key" | "certificate"): Uint8Array {
  return new TextEncoder().encode(`${VIRTUAL_CARD_FORMAT}|${serial}|${slot}|${what}`);
}

async function seal(rawKey: Buffer, plain: Uint8Array, ad: Uint8Array): Promise<{ iv: string; data: string }> {
  const key = await webcrypto.subtle.importKey("raw", rawKey, "AES-GCM", false, ["encrypt"]);
  const iv = randomBytes(12);
  const data = await webcrypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: ad }, key, plain);
  return { iv: b64(iv), data: b64(new Uint8Array(data)) };
}

/** Returns undefined when the tag does not verify (wrong PIN or tampered file). */
async function unseal(rawKey: Buffer, sealed: { iv: string; data: string }, ad: Uint8Array) {
  const key = await webcrypto.subtle.importKey("raw", rawKey, "AES-GCM", false, ["decrypt"]);
  try {
    const plain = await webcrypto.subtle.decrypt(
      { name: "AES-GCM", iv: unb64(sealed.iv), additionalData: ad },
      key,
      unb64(sealed.data),
    );
    return new Uint8Array(plain);
  } catch {
    return undefined;
  }
}

function invalid(message: string, cause?: unknown): AppError {
  return new AppError("VIRTUAL_CARD_INVALID", { message, cause });
}

/** Checks that the private key belongs to the certificate by signing and verifying a probe. */
async function assertKeyMatchesCertificate(slot: TSlotName, pkcs8: Uint8Array, certificate: Uint8Array) {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certificate);
  } catch (e) {
    throw invalid(`The ${slot} certificate is not a DER X.509 certificate.`, e);
  }
  const probe = randomBytes(32);
  const key = createPrivateKey({ key: Buffer.from(pkcs8), format: "der", type: "pkcs8" });
  const sig = sign("sha256", probe, key);
  if (!verify("sha256", probe, cert.publicKey, sig)) {
    throw invalid(`The ${slot} private key does not match the ${slot} certificate.`);
  }
}

async function buildSlot(serial: string, slot: TSlotName, input: VirtualCardSlotInput): Promise<TSlotFile> {
  assertPinFormat(slot, input.pin);
  if (input.privateKey.algorithm.name !== "RSASSA-PKCS1-v1_5") {
    throw invalid(`The ${slot} key must be an RSASSA-PKCS1-v1_5 key (JPKI keys are RSA-2048).`);
  }
  if (!input.privateKey.extractable || input.privateKey.type !== "private") {
    throw invalid(`The ${slot} key must be an extractable private key so that it can be sealed.`);
  }
  const pkcs8 = new Uint8Array(await webcrypto.subtle.exportKey("pkcs8", input.privateKey));
  await assertKeyMatchesCertificate(slot, pkcs8, input.certificate);
  try {
    new X509Certificate(input.caCertificate);
  } catch (e) {
    throw invalid(`The ${slot} CA certificate is not a DER X.509 certificate.`, e);
  }
  const salt = randomBytes(16);
  const rawKey = await deriveKey(input.pin, salt, KDF);
  const out: TSlotFile = {
    triesLeft: MAX_TRIES[slot],
    maxTries: MAX_TRIES[slot],
    kdf: { ...KDF, salt: b64(salt) },
    caCertificate: b64(input.caCertificate),
    sealedKey: await seal(rawKey, pkcs8, aad(serial, slot, "key")),
  };
  if (slot === "auth") out.certificate = b64(input.certificate);
  else out.sealedCertificate = await seal(rawKey, input.certificate, aad(serial, slot, "certificate"));
  return out;
}

/**
 * Write a virtual card file (atomically). Validates PIN formats (AppError PIN_FORMAT_INVALID),
 * the label/token-type pair, and that each key matches its certificate (VIRTUAL_CARD_INVALID).
 */
export async function writeVirtualCard(file: string, o: WriteVirtualCardOptions): Promise<void> {
  if (TOKEN_LABELS[o.tokenType] !== o.label) {
    throw invalid(`Token type "${o.tokenType}" has label ${TOKEN_LABELS[o.tokenType]}, not "${o.label}".`);
  }
  // Check both PINs before the slow work so the caller learns about every format error early.
  assertPinFormat("auth", o.auth.pin);
  if (o.sign) assertPinFormat("sign", o.sign.pin);
  const serial = randomBytes(8).toString("hex");
  const content: TFile = {
    format: VIRTUAL_CARD_FORMAT,
    label: o.label,
    tokenType: o.tokenType,
    serial,
    holderRef: o.holderRef,
    displayName: o.displayName,
    createdAt: new Date().toISOString(),
    slots: {
      auth: await buildSlot(serial, "auth", o.auth),
      sign: o.sign ? await buildSlot(serial, "sign", o.sign) : undefined,
    },
  };
  await fs.mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeAtomic(file, `${JSON.stringify(content, null, 2)}\n`);
}

/**
 * Replace the signing slot of a card file with a newly issued signing key and certificate, the
 * way a counter writes a new signing certificate onto the card after a change of the four facts
 * (docs/jpki.md#signing-certificate). The auth slot, the card serial and its counters stay.
 * Simulator only: a real card is rewritten by the card issuer's terminal.
 */
export async function replaceSignSlot(file: string, sign: VirtualCardSlotInput): Promise<void> {
  const data = await readCardFile(file);
  const next: TFile = { ...data, slots: { ...data.slots, sign: await buildSlot(data.serial, "sign", sign) } };
  await writeAtomic(file, `${JSON.stringify(next, null, 2)}\n`);
}

/**
 * Reset a slot's PIN try counter to its maximum, as the counter's card terminal does for a locked
 * PIN (暗証番号のロック解除) after checking the holder's identity: the PIN and the sealed key stay.
 * Simulator only (the J-LIS simulator's counter endpoint); returns the tries left before and after.
 * VIRTUAL_CARD_INVALID for an unreadable file or a missing slot.
 */
export async function resetPinTries(file: string, slot: TSlotName): Promise<{ before: number; after: number }> {
  const data = await readCardFile(file);
  const s = data.slots[slot];
  if (!s) throw invalid(`This virtual card has no ${slot} slot.`);
  const before = s.triesLeft;
  s.triesLeft = s.maxTries;
  await writeAtomic(file, `${JSON.stringify(data, null, 2)}\n`);
  return { before, after: s.triesLeft };
}

async function readCardFile(file: string): Promise<TFile> {
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (e) {
    throw invalid(`Cannot read virtual card ${file}.`, e);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw invalid(`Virtual card ${file} is not JSON.`, e);
  }
  const parsed = ZFile.safeParse(json);
  if (!parsed.success) throw invalid(`Virtual card ${file} is not in format ${VIRTUAL_CARD_FORMAT}.`, parsed.error);
  return parsed.data;
}

type TUnlocked = { key: CryptoKey; certificate: Uint8Array };

/**
 * An opened virtual card. Methods are serialised per instance so that PIN counters are never
 * decremented twice by racing calls; the counters are re-read from the file on every PIN check,
 * so the file stays the single source of truth (e.g. a simulator resetting a PIN).
 */
export class VirtualCard {
  readonly path: string;
  readonly label: string;
  readonly tokenType: TTokenType;
  readonly displayName: string;
  readonly holderRef: string | undefined;
  /** 16 hex digits, random per card file; the agent uses it as the token serial. */
  readonly serial: string;
  private data: TFile;
  private readonly unlocked = new Map<TSlotName, TUnlocked>();
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(file: string, data: TFile) {
    this.path = file;
    this.data = data;
    this.label = data.label;
    this.tokenType = data.tokenType;
    this.displayName = data.displayName ?? data.label;
    this.holderRef = data.holderRef;
    this.serial = data.serial;
  }

  /** Open a card file; throws AppError VIRTUAL_CARD_INVALID if it is unreadable or malformed. */
  static async open(file: string): Promise<VirtualCard> {
    return new VirtualCard(file, await readCardFile(file));
  }

  /** Slots present on this card ("sign" may be absent, e.g. a card issued to a minor). */
  slots(): TSlotName[] {
    return this.data.slots.sign ? ["auth", "sign"] : ["auth"];
  }

  /** User-authentication certificate (DER), readable without a PIN like EF 000A. */
  authCertificate(): Uint8Array {
    return unb64(this.data.slots.auth.certificate ?? "");
  }

  /** CA certificate of a slot (DER), readable without a PIN like EF 000B / 0002. */
  caCertificate(slot: TSlotName): Uint8Array {
    return unb64(this.slot(slot).caCertificate);
  }

  /** Signing certificate (DER), only after the signing PIN was verified (EF 0001). */
  signCertificate(): Uint8Array {
    const u = this.unlocked.get("sign");
    if (!u)
      throw new AppError("PIN_NOT_VERIFIED", { message: "Verify the signing PIN before reading the certificate." });
    return u.certificate;
  }

  /**
   * Re-read the counters from the file (a counter terminal may have reset a locked PIN: see
   * `resetPinTries`). A file that now holds another card (a new serial) is left to the caller,
   * which opens it as a new card.
   */
  refresh(): Promise<void> {
    return this.exclusive(async () => {
      const data = await readCardFile(this.path).catch(() => undefined);
      if (data && data.serial === this.serial) this.data = data;
    });
  }

  /** Tries left as of the last read of the file. */
  triesLeft(slot: TSlotName): number {
    return this.slot(slot).triesLeft;
  }

  maxTries(slot: TSlotName): number {
    return this.slot(slot).maxTries;
  }

  isVerified(slot: TSlotName): boolean {
    return this.unlocked.has(slot);
  }

  /**
   * VERIFY the slot's PIN. A malformed PIN is refused without spending a try (the reader software
   * checks the format before sending VERIFY); a wrong PIN decrements the persisted counter; at 0
   * the slot is locked and even the right PIN fails.
   */
  verifyPin(slot: TSlotName, pin: string): Promise<TVerifyPinResult> {
    return this.exclusive(async () => {
      this.data = await readCardFile(this.path);
      const s = this.slot(slot);
      if (s.triesLeft <= 0) {
        this.unlocked.delete(slot);
        return { ok: false, triesLeft: 0, locked: true };
      }
      if (!isPinFormatValid(slot, pin)) return { ok: false, triesLeft: s.triesLeft, locked: false };
      const rawKey = await deriveKey(pin, unb64(s.kdf.salt), s.kdf);
      const pkcs8 = await unseal(rawKey, s.sealedKey, aad(this.serial, slot, "key"));
      const certificate =
        slot === "auth"
          ? this.authCertificate()
          : s.sealedCertificate && (await unseal(rawKey, s.sealedCertificate, aad(this.serial, slot, "certificate")));
      if (!pkcs8 || !certificate) {
        s.triesLeft -= 1;
        this.unlocked.delete(slot);
        await this.save();
        return { ok: false, triesLeft: s.triesLeft, locked: s.triesLeft === 0 };
      }
      const key = await webcrypto.subtle.importKey(
        "pkcs8",
        pkcs8,
        { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
        false,
        ["sign"],
      );
      pkcs8.fill(0);
      if (s.triesLeft !== s.maxTries) {
        s.triesLeft = s.maxTries;
        await this.save();
      }
      this.unlocked.set(slot, { key, certificate });
      return { ok: true };
    });
  }

  /** RSASSA-PKCS1-v1_5 signature over `data` (hashed with SHA-256 here), only after verifyPin. */
  async sign(slot: TSlotName, data: Uint8Array, hash: "SHA-256"): Promise<Uint8Array> {
    const u = this.unlocked.get(slot);
    if (!u) throw new AppError("PIN_NOT_VERIFIED", { message: `Verify the ${slot} PIN before signing.` });
    const sig = await webcrypto.subtle.sign({ name: "RSASSA-PKCS1-v1_5", hash } as Algorithm, u.key, data);
    return new Uint8Array(sig);
  }

  /**
   * The slot's private key as a non-extractable CryptoKey, only after verifyPin: for in-process
   * signers (the sandbox signer tool, CMS) that need a WebCrypto key rather than raw signatures.
   */
  unlockedKey(slot: TSlotName): CryptoKey {
    const u = this.unlocked.get(slot);
    if (!u) throw new AppError("PIN_NOT_VERIFIED", { message: `Verify the ${slot} PIN before using its key.` });
    return u.key;
  }

  /** Forget the verified state of a slot (the card's security status is reset). */
  logout(slot: TSlotName): void {
    this.unlocked.delete(slot);
  }

  private slot(slot: TSlotName): TSlotFile {
    const s = this.data.slots[slot];
    if (!s) throw invalid(`This virtual card has no ${slot} slot.`);
    return s;
  }

  private save(): Promise<void> {
    return writeAtomic(this.path, `${JSON.stringify(this.data, null, 2)}\n`);
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
