import { sha256Hex } from "../crypto/sha256";
import canonicalize from "canonicalize";

/** prevHash of the first event (seq 1). */
export const GENESIS_PREV_HASH = "0".repeat(64);

/** The stored fields of one audit event that the hash covers (everything but the hash itself). */
export type TAuditHashInput = {
  seq: bigint;
  id: string;
  occurredAt: Date;
  type: string;
  actorType: string;
  actorId: string | null;
  subjectResidentId: string | null;
  purpose: string | null;
  channel: string | null;
  ip: string | null;
  userAgent: string | null;
  data: unknown;
  prevHash: string;
};

/**
 * SHA-256 (lower-case hex) over the RFC 8785 (JCS) canonical JSON of the row's fields plus
 * prevHash. JCS fixes key order and number/string spelling, so the same row always gives the
 * same bytes whether it comes from the writer's objects or is read back from jsonb. seq is a
 * decimal string (JSON numbers cannot hold every bigint), occurredAt an ISO 8601 UTC string with
 * milliseconds (the column is timestamp(3)), and absent values are explicit nulls.
 */
export function computeAuditEventHash(row: TAuditHashInput): string {
  const canonical = canonicalize({
    v: 1,
    seq: row.seq.toString(),
    id: row.id,
    occurredAt: row.occurredAt.toISOString(),
    type: row.type,
    actorType: row.actorType,
    actorId: row.actorId,
    subjectResidentId: row.subjectResidentId,
    purpose: row.purpose,
    channel: row.channel,
    ip: row.ip,
    userAgent: row.userAgent,
    data: row.data ?? {},
    prevHash: row.prevHash,
  });
  if (canonical === undefined) throw new Error("audit event is not serialisable");
  return sha256Hex(canonical);
}
