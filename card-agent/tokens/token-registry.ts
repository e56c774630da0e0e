/**
 * All tokens of all back-ends, polled about once a second (docs/card-agent-protocol.md#token-back-ends).
 * A token that appears or disappears is reported to listeners, which push provider/event/token.
 */
import { EventEmitter } from "node:events";
import type { TToken, TTokenBackend } from "./token";

export type TTokenChange = { added: TToken[]; removed: TToken[] };

export class TokenRegistry extends EventEmitter<{ change: [TTokenChange] }> {
  private readonly backends: TTokenBackend[];
  private readonly current = new Map<string, TToken>();
  private timer: NodeJS.Timeout | undefined;
  private scanning: Promise<void> | undefined;
  private readonly log: (message: string) => void;

  constructor(backends: TTokenBackend[], log: (message: string) => void = () => undefined) {
    super();
    this.backends = backends;
    this.log = log;
  }

  /** Scans once, then every `intervalMs`. */
  async start(intervalMs = 1000): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.scanning;
    for (const b of this.backends) await b.close();
  }

  list(): TToken[] {
    return [...this.current.values()];
  }

  get(id: string): TToken | undefined {
    return this.current.get(id);
  }

  /** One scan of every back-end (concurrent callers share it). */
  refresh(): Promise<void> {
    this.scanning ??= this.scan().finally(() => {
      this.scanning = undefined;
    });
    return this.scanning;
  }

  private async scan(): Promise<void> {
    const seen = new Map<string, TToken>();
    for (const b of this.backends) {
      try {
        for (const t of await b.scan()) seen.set(t.id, t);
      } catch (e) {
        this.log(`Token back-end ${b.name} failed: ${(e as Error).message}`);
        // Keep this back-end's tokens as they were rather than reporting a spurious removal.
        for (const t of this.current.values()) if (!seen.has(t.id)) seen.set(t.id, t);
      }
    }
    const added = [...seen.values()].filter((t) => !this.current.has(t.id));
    const removed = [...this.current.values()].filter((t) => !seen.has(t.id));
    for (const t of removed) this.current.delete(t.id);
    for (const t of added) this.current.set(t.id, t);
    if (added.length || removed.length) this.emit("change", { added, removed });
  }
}
