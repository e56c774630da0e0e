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

/** Inserts AuditEvent rows (already chained and hashed) from one jsonb array: one statement per batch. */
const INSERT_AUDIT_EVENTS_SQL = `
INSERT INTO "AuditEvent" ("seq", "id", "occurredAt", "type", "actorType", "actorId", "subjectResidentId", "purpose",
  "channel", "ip", "userAgent", "data", "prevHash", "hash")
SELECT x."seq", x."id", (x."occurredAt"::timestamptz AT TIME ZONE 'UTC'), x."type", x."actorType", x."actorId",
  x."subjectResidentId", x."purpose", x."channel", x."ip", x."userAgent", x."data", x."prevHash", x."hash"
FROM jsonb_to_recordset($1::jsonb) AS x("seq" bigint, "id" uuid, "occurredAt" text, "type" text, "actorType" text,
  "actorId" text, "subjectResidentId" uuid, "purpose" text, "channel" text, "ip" text, "userAgent" text,
  "data" jsonb, "prevHash" text, "hash" text)`;

/**
 * Append one event to the hash-chained audit log, inside the caller's transaction, so the event
 * commits or rolls back with the change it records (convention 11, docs/architecture.md#conventions). The same as
 * {@link appendAuditEvents} with one event.
 *
 * @param tx the `tx` of `prisma.$transaction(async (tx) => …)`; the root client is refused.
 */
export async function appendAuditEvent(
  tx: Prisma.TransactionClient,
  input: TAppendAuditEventInput,
): Promise<TAppendedAuditEvent> {
  const [appended] = await appendAuditEvents(tx, [input]);
  return appended!;
}

/**
 * Append events to the hash-chained audit log in the order given, inside the caller's
 * transaction, with one chain-head read and one multi-row INSERT however many there are (bulk
 * delivery writes a batch of `document.delivered` events this way).
 *
 * Every event is checked against the schema (ZAppendAuditEventInput: a known event type, actor,
 * channel, JSON data) before anything is locked or written: one bad event refuses the whole batch.
 * The events share one `occurredAt`, taken under the lock.
 *
 * Concurrency: `pg_advisory_xact_lock` serialises appenders until their transactions end; only
 * then is the last row read, so two transactions never take the same seq or prevHash (a fork).
 * The lock is held to commit, so append late in long transactions. Use READ COMMITTED (the
 * default): under REPEATABLE READ the snapshot predates the lock and a racing append would fail
 * on the seq primary key instead of queueing (safe, but an error).
 *
 * @param tx the `tx` of `prisma.$transaction(async (tx) => …)`; the root client is refused.
 */
export async function appendAuditEvents(
  tx: Prisma.TransactionClient,
  inputs: readonly TAppendAuditEventInput[],
): Promise<TAppendedAuditEvent[]> {
  const events = inputs.map((input) => ZAppendAuditEventInput.parse(input));
  if (events.length === 0) return [];
  // Outside an explicit transaction the lock would end with its own statement. The database tells
  // the two apart without Prisma internals: a statement that began its own transaction started at
  // the transaction's timestamp; inside BEGIN … it started later.
  const [lock] = await tx.$queryRawUnsafe<{ inTransaction: boolean }[]>(
    `SELECT transaction_timestamp() < statement_timestamp() AS "inTransaction"
       FROM (SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_KEY})) AS l`,
  );
  if (!lock?.inTransaction) throw new AppError("AUDIT_NOT_IN_TRANSACTION");
  const last = await tx.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
  let seq = last?.seq ?? 0n;
  let prevHash = last?.hash ?? GENESIS_PREV_HASH;
  // Taken under the lock, so occurredAt never goes backwards along the chain on one clock.
  const occurredAt = new Date();
  const rows = events.map((event) => {
    seq += 1n;
    const row = {
      seq,
      id: randomUUID(),
      occurredAt,
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
      prevHash,
    };
    const hash = computeAuditEventHash(row);
    prevHash = hash;
    return { ...row, hash };
  });
  await tx.$executeRawUnsafe(
    INSERT_AUDIT_EVENTS_SQL,
    JSON.stringify(rows.map((r) => ({ ...r, seq: r.seq.toString(), occurredAt: r.occurredAt.toISOString() }))),
  );
  return rows.map((r) => ({ seq: r.seq, id: r.id, hash: r.hash, prevHash: r.prevHash, occurredAt: r.occurredAt }));
}
