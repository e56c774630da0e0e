import { randomUUID } from "node:crypto";
import type { Prisma } from "../db/client";
import { AppError } from "../errors/app-error";
import { computeAuditEventHash, GENESIS_PREV_HASH } from "./audit-hash";
import { type TAppendAuditEventInput, ZAppendAuditEventInput } from "./schemas";

/**
 * Key of the transaction-scoped advisory lock that serialises appends. Any constant works as
 * long as nothing else uses it; Prisma's migrate lock is 72707369.
 */
export const AUDIT_CHAIN_LOCK_KEY = 4_826_150_917n;

export type TAppendedAuditEvent = { seq: bigint; id: string; hash: string; prevHash: string; occurredAt: Date };

/**
 * Append one event to the hash-chained audit log, inside the caller's transaction, so the event
 * commits or rolls back with the change it records (convention 11, docs/architecture.md#conventions).
 *
 * Concurrency: `pg_advisory_xact_lock` serialises appenders until their transactions end; only
 * then is the last row read, so two transactions never take the same seq or prevHash (a fork).
 * The lock is held to commit, so append late in long transactions. Use READ COMMITTED (the
 * default): under REPEATABLE READ the snapshot predates the lock and a racing append would fail
 * on the seq primary key instead of queueing (safe, but an error).
 *
 * @param tx the `tx` of `prisma.$transaction(async (tx) => …)`; the root client is refused.
 */
export async function appendAuditEvent(
  tx: Prisma.TransactionClient,
  input: TAppendAuditEventInput,
): Promise<TAppendedAuditEvent> {
  const event = ZAppendAuditEventInput.parse(input);
  // Outside an explicit transaction the lock would end with its own statement. The database tells
  // the two apart without Prisma internals: a statement that began its own transaction started at
  // the transaction's timestamp; inside BEGIN … it started later.
  const [lock] = await tx.$queryRawUnsafe<{ inTransaction: boolean }[]>(
    `SELECT transaction_timestamp() < statement_timestamp() AS "inTransaction"
       FROM (SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_KEY})) AS l`,
  );
  if (!lock?.inTransaction) throw new AppError("AUDIT_NOT_IN_TRANSACTION");
  const last = await tx.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
  const row = {
    seq: last ? last.seq + 1n : 1n,
    id: randomUUID(),
    // Taken under the lock, so occurredAt never goes backwards along the chain on one clock.
    occurredAt: new Date(),
    type: event.type,
    actorType: event.actor.type,
    actorId: event.actor.id ?? null,
    // PostgreSQL returns uuids in lower case; hash what will be read back.
    subjectResidentId: event.subjectResidentId?.toLowerCase() ?? null,
    purpose: event.purpose ?? null,
    channel: event.channel ?? null,
    ip: event.requestMetadata?.ip ?? null,
    userAgent: event.requestMetadata?.userAgent ?? null,
    data: event.data ?? {},
    prevHash: last?.hash ?? GENESIS_PREV_HASH,
  };
  const hash = computeAuditEventHash(row);
  await tx.auditEvent.create({
    data: { ...row, data: row.data as Prisma.InputJsonObject, hash },
    select: { seq: true },
  });
  return { seq: row.seq, id: row.id, hash, prevHash: row.prevHash, occurredAt: row.occurredAt };
}
