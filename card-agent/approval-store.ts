/**
 * Pairing approvals: which client key may use the agent from which origin. Upstream trusts a
 * client key from any origin (docs/card-agent-protocol.md#security-choices); we bind each approval to the pair
 * (origin, client signing-key id). Persisted in `<CARD_AGENT_DIR>/approvals.json`, listed and revoked
 * with `npm run agent -- approvals list|revoke <id>`; a running agent sees revocations at the next
 * action, because the file is re-read whenever its mtime changes.
 */
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import { z } from "zod";
import { readJsonFile, writeFileAtomic } from "./json-file";

const ZApproval = z.object({
  id: z.string(),
  origin: z.string(),
  clientKeyId: z.string(),
  userAgent: z.string().optional(),
  approvedAt: z.string(),
  how: z.enum(["user", "test-mode"]),
});
const ZFile = z.object({ version: z.literal(1), approvals: z.array(ZApproval) });
export type TApproval = z.infer<typeof ZApproval>;

export class ApprovalStore {
  private readonly file: string;
  private cached: TApproval[] = [];
  private mtimeMs = -1;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(file: string) {
    this.file = file;
  }

  /** All approvals, freshly read if the file changed. */
  async list(): Promise<TApproval[]> {
    const mtime = await fs.stat(this.file).then(
      (s) => s.mtimeMs,
      () => 0,
    );
    if (mtime !== this.mtimeMs) {
      const raw = await readJsonFile(this.file);
      this.cached = raw === undefined ? [] : ZFile.parse(raw).approvals;
      this.mtimeMs = mtime;
    }
    return this.cached;
  }

  async isApproved(origin: string, clientKeyId: string): Promise<boolean> {
    return (await this.list()).some((a) => a.origin === origin && a.clientKeyId === clientKeyId);
  }

  async add(entry: Omit<TApproval, "id" | "approvedAt">): Promise<TApproval> {
    const approval: TApproval = { ...entry, id: randomBytes(4).toString("hex"), approvedAt: new Date().toISOString() };
    await this.update((all) => [
      ...all.filter((a) => !(a.origin === entry.origin && a.clientKeyId === entry.clientKeyId)),
      approval,
    ]);
    return approval;
  }

  /** Removes the approval with this id (or id prefix); returns whether one was removed. */
  async revoke(id: string): Promise<boolean> {
    let removed = false;
    await this.update((all) => {
      const kept = all.filter((a) => !(id.length >= 4 && a.id.startsWith(id)));
      removed = kept.length !== all.length;
      return kept;
    });
    return removed;
  }

  private update(fn: (all: TApproval[]) => TApproval[]): Promise<void> {
    const run = this.queue.then(async () => {
      this.mtimeMs = -1;
      const next = fn(await this.list());
      await writeFileAtomic(this.file, `${JSON.stringify({ version: 1, approvals: next }, null, 2)}\n`);
      this.mtimeMs = -1;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}
