/**
 * `soft` back-end: every ichimai-virtual-card/1 file in a directory is one inserted card, shown as
 * two tokens like OpenSC shows a real My Number Card (auth slot CKA_ID 01, sign slot CKA_ID 02).
 * Adding or removing a file is inserting or removing the card. The PIN counters are the card's own
 * (persisted in the file by VirtualCard).
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import type { ProviderCrypto } from "@webcrypto-local/core";
import { AppError } from "../../lib/errors/app-error";
import {
  JPKI_LABELS,
  rsaPublicParams,
  PIN_MAX_TRIES,
  sha256Hex,
  storageIndex,
  type TCertificateEntry,
  type TLoginResult,
  type TPinSlot,
  type TPrivateKeyEntry,
  type TToken,
  type TTokenBackend,
} from "./token";
import { VirtualCard } from "./virtual-card";

// Fixed pseudo object handles (8 bytes, little-endian like node-webcrypto-p11 prints them).
const HANDLE = {
  auth: { cert: "0100000000000000", key: "0200000000000000", ca: "0300000000000000" },
  sign: { cert: "0400000000000000", key: "0500000000000000", ca: "0600000000000000" },
} as const;
const CKA_ID = { auth: { cert: "01", ca: "03" }, sign: { cert: "02", ca: "04" } } as const;

class SoftToken implements TToken {
  readonly id: string;
  readonly pinSlot: TPinSlot;
  readonly label: string;
  readonly displayName: string;
  readonly serial: string;
  private readonly card: VirtualCard;

  constructor(card: VirtualCard, slot: TPinSlot) {
    this.card = card;
    this.pinSlot = slot;
    this.serial = card.serial;
    this.id = sha256Hex("soft", card.serial, slot);
    this.label = slot === "auth" ? JPKI_LABELS.authToken : JPKI_LABELS.signToken;
    this.displayName = `${card.displayName} — ${slot === "auth" ? "利用者証明用 (auth)" : "署名用 (sign)"}`;
  }

  async provider(): Promise<ProviderCrypto> {
    return {
      id: this.id,
      name: this.displayName,
      card: this.card.label,
      readOnly: true,
      algorithms: ["RSASSA-PKCS1-v1_5", "SHA-256"],
      isRemovable: true,
      isHardware: false,
      atr: "",
      token: {
        label: this.label,
        manufacturerID: "ichimai virtual card",
        model: this.card.label,
        serialNumber: this.card.serial,
        // CKF_RNG | CKF_WRITE_PROTECTED | CKF_LOGIN_REQUIRED | CKF_USER_PIN_INITIALIZED | CKF_TOKEN_INITIALIZED
        flags: pinFlags(0x1 | 0x2 | 0x4 | 0x8 | 0x400, this.card.triesLeft(this.pinSlot), PIN_MAX_TRIES[this.pinSlot]),
        maxSessionCount: 0,
        sessionCount: 0,
        maxRwSessionCount: 0,
        rwSessionCount: 0,
        maxPinLen: this.pinSlot === "auth" ? 4 : 16,
        minPinLen: this.pinSlot === "auth" ? 4 : 6,
        totalPublicMemory: 0,
        freePublicMemory: 0,
        totalPrivateMemory: 0,
        freePrivateMemory: 0,
        hardwareVersion: { major: 1, minor: 0 },
        firmwareVersion: { major: 1, minor: 0 },
      },
    };
  }

  async pinStatus() {
    // The file is the card: a PIN unlocked at the counter shows at once.
    await this.card.refresh();
    return { triesLeft: this.card.triesLeft(this.pinSlot), maxTries: this.card.maxTries(this.pinSlot) };
  }

  isLoggedIn(): boolean {
    return this.card.isVerified(this.pinSlot);
  }

  async login(pin: string): Promise<TLoginResult> {
    const before = this.card.triesLeft(this.pinSlot);
    const r = await this.card.verifyPin(this.pinSlot, pin);
    if (r.ok) return r;
    if (r.locked) return { ok: false, triesLeft: 0, locked: true, reason: "locked" };
    return {
      ok: false,
      triesLeft: r.triesLeft,
      locked: false,
      reason: r.triesLeft === before ? "format" : "incorrect",
    };
  }

  async logout(): Promise<void> {
    this.card.logout(this.pinSlot);
  }

  async certificates(): Promise<TCertificateEntry[]> {
    const s = this.pinSlot;
    const out: TCertificateEntry[] = [];
    if (s === "auth") {
      out.push({
        index: storageIndex("x509", HANDLE.auth.cert, CKA_ID.auth.cert),
        der: this.card.authCertificate(),
        label: JPKI_LABELS.authCert,
      });
    } else if (this.isLoggedIn()) {
      // The signing certificate is a private object: readable only after the signing PIN (EF 0001).
      out.push({
        index: storageIndex("x509", HANDLE.sign.cert, CKA_ID.sign.cert),
        der: this.card.signCertificate(),
        label: JPKI_LABELS.signCert,
      });
    }
    out.push({
      index: storageIndex("x509", HANDLE[s].ca, CKA_ID[s].ca),
      der: this.card.caCertificate(s),
      label: s === "auth" ? JPKI_LABELS.authCa : JPKI_LABELS.signCa,
    });
    return out;
  }

  async privateKeys(): Promise<TPrivateKeyEntry[]> {
    if (!this.isLoggedIn()) return [];
    const s = this.pinSlot;
    const cert = s === "auth" ? this.card.authCertificate() : this.card.signCertificate();
    return [
      {
        index: storageIndex("private", HANDLE[s].key, CKA_ID[s].cert),
        label: s === "auth" ? JPKI_LABELS.authKey : JPKI_LABELS.signKey,
        ...rsaPublicParams(cert),
      },
    ];
  }

  async sign(keyIndex: string, data: Uint8Array): Promise<Uint8Array> {
    const keys = await this.privateKeys();
    if (!keys.some((k) => k.index === keyIndex)) {
      throw new AppError("PIN_NOT_VERIFIED", { message: "The key is not available (log in first)." });
    }
    return this.card.sign(this.pinSlot, data, "SHA-256");
  }
}

/** CKF_USER_PIN_COUNT_LOW / FINAL_TRY / LOCKED from a try counter (PKCS#11 §4.5 token flags). */
export function pinFlags(base: number, triesLeft: number, maxTries: number): number {
  let flags = base;
  if (triesLeft < maxTries) flags |= 0x10000; // CKF_USER_PIN_COUNT_LOW
  if (triesLeft === 1) flags |= 0x20000; // CKF_USER_PIN_FINAL_TRY
  if (triesLeft === 0) flags |= 0x40000; // CKF_USER_PIN_LOCKED
  return flags;
}

type TEntry = { mtimeMs: number; size: number; card: VirtualCard; tokens: SoftToken[] };

/** Watches `dir` for virtual card files (a missing directory means no card inserted). */
export class SoftBackend implements TTokenBackend {
  readonly name = "soft";
  private readonly dir: string;
  private readonly entries = new Map<string, TEntry>();
  private readonly warned = new Set<string>();
  private readonly log: (message: string) => void;

  constructor(dir: string, log: (message: string) => void = () => undefined) {
    this.dir = dir;
    this.log = log;
  }

  async scan(): Promise<TToken[]> {
    let names: string[];
    try {
      names = (await fs.readdir(this.dir)).filter((n) => n.endsWith(".json") && !n.startsWith("."));
    } catch {
      names = [];
    }
    const seen = new Set<string>();
    for (const name of names) {
      const file = path.join(this.dir, name);
      const st = await fs.stat(file).catch(() => undefined);
      if (!st?.isFile()) continue;
      seen.add(file);
      const old = this.entries.get(file);
      if (old && old.mtimeMs === st.mtimeMs && old.size === st.size) continue;
      try {
        const card = await VirtualCard.open(file);
        // The file changes on every PIN check; keep the open card (and its login state) if it is the same card.
        if (old && old.card.serial === card.serial) {
          this.entries.set(file, { ...old, mtimeMs: st.mtimeMs, size: st.size });
          continue;
        }
        const tokens = card.slots().map((s) => new SoftToken(card, s));
        this.entries.set(file, { mtimeMs: st.mtimeMs, size: st.size, card, tokens });
        this.warned.delete(file);
      } catch (e) {
        this.entries.delete(file);
        if (!this.warned.has(file)) this.log(`Ignoring ${file}: ${(e as Error).message}`);
        this.warned.add(file);
      }
    }
    for (const file of [...this.entries.keys()]) if (!seen.has(file)) this.entries.delete(file);
    return [...this.entries.values()].flatMap((e) => e.tokens);
  }

  async close(): Promise<void> {
    this.entries.clear();
  }
}
