import type { PrismaClient } from "../db/client";
import { computeAuditEventHash, GENESIS_PREV_HASH } from "./audit-hash";

export type VerifyAuditChainOptions = {
  /** Rows read per query; the chain is streamed, never loaded whole. */
  batchSize?: number;
};

export type TAuditChainBreak = "hash_mismatch" | "prev_hash_mismatch" | "gap";

export type TAuditChainReport =
  | { ok: true; count: bigint; headHash: string }
  | {
      ok: false;
      /** Events that verified before the break. */
      count: bigint;
      /** The first seq that does not verify (for a gap: the missing seq). */
      brokenSeq: bigint;
      reason: TAuditChainBreak;
    };

/**
 * Walk the audit chain from seq 1 and report the first event that breaks it: a row whose hash
 * does not match its contents (edited row), whose prevHash is not the previous row's hash
 * (inserted, removed or re-hashed rows) or a missing seq (deleted row).
 *
 * A chain re-hashed from some row to the end by someone with write access is self-consistent;
 * only comparing `headHash` with a copy kept elsewhere detects that.
 */
export async function verifyAuditChain(
  prisma: PrismaClient,
  options: VerifyAuditChainOptions = {},
): Promise<TAuditChainReport> {
  const batchSize = options.batchSize ?? 1000;
  let expectedSeq = 1n;
  let prevHash = GENESIS_PREV_HASH;
  for (;;) {
    const rows = await prisma.auditEvent.findMany({
      where: { seq: { gte: expectedSeq } },
      orderBy: { seq: "asc" },
      take: batchSize,
    });
    for (const row of rows) {
      const count = expectedSeq - 1n;
      if (row.seq !== expectedSeq) return { ok: false, count, brokenSeq: expectedSeq, reason: "gap" };
      if (row.prevHash !== prevHash) return { ok: false, count, brokenSeq: row.seq, reason: "prev_hash_mismatch" };
      if (computeAuditEventHash(row) !== row.hash) {
        return { ok: false, count, brokenSeq: row.seq, reason: "hash_mismatch" };
      }
      prevHash = row.hash;
      expectedSeq += 1n;
    }
    if (rows.length < batchSize) return { ok: true, count: expectedSeq - 1n, headHash: prevHash };
  }
}
