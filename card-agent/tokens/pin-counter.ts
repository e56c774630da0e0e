/**
 * Try counters kept by the agent for PKCS#11 tokens that do not lock themselves (SoftHSM2 never
 * does). Keyed by token serial + label, persisted in `<CARD_AGENT_DIR>/pin-counters.json`, so the
 * JPKI rules hold (docs/jpki.md#pins-and-lock-counts: auth 3 tries, sign 5; a correct PIN resets; 0 = locked). A real
 * card counts on its own as well; the agent's counter then only ever stops earlier, never later.
 */
import { z } from "zod";
import { readJsonFile, writeFileAtomic } from "../json-file";

const ZFile = z.object({ version: z.literal(1), counters: z.record(z.string(), z.number().int().min(0)) });

export class PinCounterStore {
  private readonly file: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(file: string) {
    this.file = file;
  }

  async get(key: string, max: number): Promise<number> {
    return (await this.read())[key] ?? max;
  }

  /** Sets the counter (serialised read-modify-write). */
  set(key: string, value: number): Promise<void> {
    const run = this.queue.then(async () => {
      const all = await this.read();
      all[key] = value;
      await writeFileAtomic(this.file, `${JSON.stringify({ version: 1, counters: all }, null, 2)}\n`);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async read(): Promise<Record<string, number>> {
    const raw = await readJsonFile(this.file);
    return raw === undefined ? {} : ZFile.parse(raw).counters;
  }
}
