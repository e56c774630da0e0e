/**
 * Questions the agent asks its user — pairing approval and PIN — and only its user: answers come
 * from the agent's own UI (/ui, terminal), never from the portal (docs/card-agent-protocol.md#pin-entry:
 * the PIN never passes through the page). Each request waits until answered or cancelled
 * (the socket closed).
 */
import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import type { TPinSlot } from "./tokens/token";

export type TPendingApproval = {
  id: string;
  origin: string;
  /** The 6-digit code the page shows (`provider.challenge()`); the user compares the two. */
  code: string;
  userAgent?: string;
  createdAt: string;
};

export type TPendingPin = {
  id: string;
  origin: string;
  tokenId: string;
  tokenLabel: string;
  displayName: string;
  slot: TPinSlot;
  triesLeft: number;
  maxTries: number;
  createdAt: string;
};

type TWaiter<T> = { resolve: (v: T) => void };

export class PromptBroker extends EventEmitter<{ change: [] }> {
  private readonly approvals = new Map<string, TPendingApproval & TWaiter<boolean>>();
  private readonly pins = new Map<string, TPendingPin & TWaiter<string | null>>();

  /** Resolves true (approved) or false (denied or cancelled). */
  requestApproval(info: Omit<TPendingApproval, "id" | "createdAt">, signal?: AbortSignal): Promise<boolean> {
    return this.wait(this.approvals, info, false, signal);
  }

  /** Resolves the PIN, or null when the user cancelled or the socket went away. */
  requestPin(info: Omit<TPendingPin, "id" | "createdAt">, signal?: AbortSignal): Promise<string | null> {
    return this.wait(this.pins, info, null, signal);
  }

  pending(): { approvals: TPendingApproval[]; pins: TPendingPin[] } {
    const strip = <T extends { resolve: unknown }>({ resolve: _r, ...rest }: T) => rest;
    return { approvals: [...this.approvals.values()].map(strip), pins: [...this.pins.values()].map(strip) };
  }

  answerApproval(id: string, approved: boolean): boolean {
    const p = this.approvals.get(id);
    if (!p) return false;
    this.approvals.delete(id);
    p.resolve(approved);
    this.emit("change");
    return true;
  }

  answerPin(id: string, pin: string | null): boolean {
    const p = this.pins.get(id);
    if (!p) return false;
    this.pins.delete(id);
    p.resolve(pin);
    this.emit("change");
    return true;
  }

  private wait<I extends object, T>(
    map: Map<string, I & { id: string; createdAt: string } & TWaiter<T>>,
    info: I,
    cancelled: T,
    signal?: AbortSignal,
  ): Promise<T> {
    return new Promise<T>((resolve) => {
      if (signal?.aborted) return resolve(cancelled);
      const id = randomBytes(8).toString("hex");
      const onAbort = () => {
        if (map.delete(id)) {
          resolve(cancelled);
          this.emit("change");
        }
      };
      map.set(id, {
        ...info,
        id,
        createdAt: new Date().toISOString(),
        resolve: (v: T) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(v);
        },
      });
      signal?.addEventListener("abort", onAbort, { once: true });
      this.emit("change");
    });
  }
}
