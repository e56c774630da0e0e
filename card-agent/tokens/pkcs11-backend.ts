/**
 * `pkcs11` back-end: any PKCS#11 module through node-webcrypto-p11 (graphene-pk11 for the slot
 * list). SoftHSM2 in tests; OpenSC's module for a real My Number Card, which shows one slot per
 * PIN (README "Real card"). Slots are scanned on every poll, so a token that appears or vanishes
 * becomes a provider/event/token push (docs/card-agent-protocol.md#messages-and-actions, #token-back-ends).
 */
import type { ProviderCrypto } from "@webcrypto-local/core";
import * as graphene from "graphene-pk11";
import { Crypto as P11Crypto, type CryptoKey as P11CryptoKey } from "node-webcrypto-p11";
import { isPinFormatValid } from "./virtual-card";
import type { PinCounterStore } from "./pin-counter";
import { pinFlags } from "./soft-backend";
import {
  PIN_MAX_TRIES,
  sha256Hex,
  type TCertificateEntry,
  type TLoginResult,
  type TPinSlot,
  type TPrivateKeyEntry,
  type TToken,
  type TTokenBackend,
} from "./token";

/** Which JPKI PIN a slot holds, from the token label OpenSC gives it. */
export function pinSlotOfLabel(label: string): TPinSlot {
  return /Digital Signature|署名/i.test(label) ? "sign" : "auth";
}

function pkcs11Code(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return /CKR_[A-Z_]+/.exec(m)?.[0] ?? m;
}

class Pkcs11Token implements TToken {
  readonly id: string;
  readonly pinSlot: TPinSlot;
  readonly label: string;
  readonly displayName: string;
  readonly serial: string;
  private readonly slot: graphene.Slot;
  private readonly session: graphene.Session;
  private readonly crypto: P11Crypto;
  private readonly counters: PinCounterStore;
  private readonly counterKey: string;
  private readonly library: string;

  constructor(library: string, slot: graphene.Slot, token: graphene.Token, counters: PinCounterStore) {
    this.library = library;
    this.slot = slot;
    this.label = token.label.trim();
    this.serial = token.serialNumber.trim();
    this.pinSlot = pinSlotOfLabel(this.label);
    this.id = sha256Hex("pkcs11", library, slot.handle.toString("hex"), this.serial, this.label);
    this.displayName = `${this.label} (${slot.slotDescription.trim()})`;
    this.counters = counters;
    this.counterKey = `${this.serial}/${this.label}`;
    this.session = slot.open(graphene.SessionFlag.SERIAL_SESSION);
    this.crypto = new P11Crypto({ session: this.session });
  }

  async provider(): Promise<ProviderCrypto> {
    const t = this.slot.getToken();
    const { triesLeft, maxTries } = await this.pinStatus();
    return {
      id: this.id,
      name: this.displayName,
      card: this.slot.slotDescription.trim(),
      library: this.library,
      readOnly: true,
      algorithms: ["RSASSA-PKCS1-v1_5", "SHA-256"],
      isRemovable: (this.slot.flags & graphene.SlotFlag.REMOVABLE_DEVICE) !== 0,
      isHardware: (this.slot.flags & graphene.SlotFlag.HW_SLOT) !== 0,
      atr: "",
      token: {
        label: this.label,
        manufacturerID: t.manufacturerID.trim(),
        model: t.model.trim(),
        serialNumber: this.serial,
        flags: pinFlags(t.flags, triesLeft, maxTries),
        maxSessionCount: t.maxSessionCount,
        sessionCount: t.sessionCount,
        maxRwSessionCount: t.maxRwSessionCount,
        rwSessionCount: t.rwSessionCount,
        maxPinLen: t.maxPinLen,
        minPinLen: t.minPinLen,
        totalPublicMemory: t.totalPublicMemory,
        freePublicMemory: t.freePublicMemory,
        totalPrivateMemory: t.totalPrivateMemory,
        freePrivateMemory: t.freePrivateMemory,
        hardwareVersion: t.hardwareVersion,
        firmwareVersion: t.firmwareVersion,
      },
    };
  }

  async pinStatus() {
    const maxTries = PIN_MAX_TRIES[this.pinSlot];
    let triesLeft = await this.counters.get(this.counterKey, maxTries);
    if (this.slot.getToken().flags & graphene.TokenFlag.USER_PIN_LOCKED) triesLeft = 0;
    return { triesLeft, maxTries };
  }

  isLoggedIn(): boolean {
    return this.crypto.isLoggedIn;
  }

  async login(pin: string): Promise<TLoginResult> {
    const { triesLeft } = await this.pinStatus();
    if (triesLeft <= 0) return { ok: false, triesLeft: 0, locked: true, reason: "locked" };
    if (!isPinFormatValid(this.pinSlot, pin)) return { ok: false, triesLeft, locked: false, reason: "format" };
    try {
      this.crypto.login(pin);
    } catch (e) {
      const code = pkcs11Code(e);
      if (code === "CKR_PIN_LOCKED") {
        await this.counters.set(this.counterKey, 0);
        return { ok: false, triesLeft: 0, locked: true, reason: "locked" };
      }
      if (code !== "CKR_PIN_INCORRECT") throw e;
      const left = triesLeft - 1;
      await this.counters.set(this.counterKey, left);
      return { ok: false, triesLeft: left, locked: left === 0, reason: left === 0 ? "locked" : "incorrect" };
    }
    if (triesLeft !== PIN_MAX_TRIES[this.pinSlot])
      await this.counters.set(this.counterKey, PIN_MAX_TRIES[this.pinSlot]);
    return { ok: true };
  }

  async logout(): Promise<void> {
    this.crypto.logout();
  }

  async certificates(): Promise<TCertificateEntry[]> {
    const out: TCertificateEntry[] = [];
    for (const index of await this.crypto.certStorage.keys()) {
      if (!index.startsWith("x509-")) continue;
      const der = await this.crypto.certStorage.getValue(index);
      if (!der) continue;
      const item = await this.crypto.certStorage.getItem(index);
      out.push({ index, der: new Uint8Array(der), label: item.label ?? "" });
    }
    return out;
  }

  async privateKeys(): Promise<TPrivateKeyEntry[]> {
    if (!this.isLoggedIn()) return [];
    const out: TPrivateKeyEntry[] = [];
    for (const index of await this.crypto.keyStorage.keys()) {
      if (!index.startsWith("private-")) continue;
      const key = (await this.crypto.keyStorage.getItem(index)) as P11CryptoKey;
      const alg = key.algorithm as unknown as { name: string; modulusLength?: number; publicExponent?: Uint8Array };
      if (alg.name !== "RSASSA-PKCS1-v1_5" || !alg.modulusLength || !alg.publicExponent) continue;
      out.push({
        index,
        label: (key as unknown as { label?: string }).label ?? "",
        modulusLength: alg.modulusLength,
        publicExponent: new Uint8Array(alg.publicExponent),
      });
    }
    return out;
  }

  async sign(keyIndex: string, data: Uint8Array): Promise<Uint8Array> {
    const key = await this.crypto.keyStorage.getItem(
      keyIndex,
      { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as RsaHashedImportParams,
      false,
      ["sign"],
    );
    const sig = await this.crypto.subtle.sign(
      { name: "RSASSA-PKCS1-v1_5" },
      key as unknown as CryptoKey,
      new Uint8Array(data),
    );
    return new Uint8Array(sig);
  }

  close(): void {
    try {
      this.session.close();
    } catch {
      // The token is already gone; nothing to close.
    }
  }
}

/** Tokens of one PKCS#11 module; the module is loaded once per process and never finalised while in use. */
export class Pkcs11Backend implements TTokenBackend {
  readonly name = "pkcs11";
  private readonly library: string;
  private readonly counters: PinCounterStore;
  private module: graphene.Module | undefined;
  private readonly tokens = new Map<string, Pkcs11Token>();
  private readonly log: (message: string) => void;

  constructor(library: string, counters: PinCounterStore, log: (message: string) => void = () => undefined) {
    this.library = library;
    this.counters = counters;
    this.log = log;
  }

  private load(): graphene.Module {
    if (this.module) return this.module;
    const mod = graphene.Module.load(this.library, "card-agent");
    try {
      mod.initialize();
    } catch (e) {
      if (pkcs11Code(e) !== "CKR_CRYPTOKI_ALREADY_INITIALIZED") throw e;
    }
    this.module = mod;
    return mod;
  }

  async scan(): Promise<TToken[]> {
    const mod = this.load();
    const slots = mod.getSlots(true);
    const present = new Set<string>();
    for (let i = 0; i < slots.length; i++) {
      const slot = slots.items(i);
      let token: graphene.Token;
      try {
        token = slot.getToken();
      } catch {
        continue; // removed between C_GetSlotList and C_GetTokenInfo
      }
      if (!(token.flags & graphene.TokenFlag.TOKEN_INITIALIZED)) continue;
      const id = sha256Hex(
        "pkcs11",
        this.library,
        slot.handle.toString("hex"),
        token.serialNumber.trim(),
        token.label.trim(),
      );
      present.add(id);
      if (!this.tokens.has(id)) {
        try {
          this.tokens.set(id, new Pkcs11Token(this.library, slot, token, this.counters));
        } catch (e) {
          this.log(`Cannot open PKCS#11 slot ${slot.slotDescription.trim()}: ${(e as Error).message}`);
          present.delete(id);
        }
      }
    }
    for (const [id, token] of this.tokens) {
      if (!present.has(id)) {
        token.close();
        this.tokens.delete(id);
      }
    }
    return [...this.tokens.values()];
  }

  async close(): Promise<void> {
    for (const t of this.tokens.values()) t.close();
    this.tokens.clear();
    // Not finalising: another Crypto in this process may share the module (C_Finalize is process-wide).
  }
}
