import { AppError } from "@/lib/errors/app-error";

/**
 * Opaque keyset-pagination cursors: the sort key of the last item of a page, base64url-encoded, so
 * the next page is `WHERE (key) < (cursor)` and page N costs what page 1 costs. Two codecs, one rule:
 *
 * - {@link createdAtIdCursor}: (createdAt, id) for lists ordered `createdAt DESC, id DESC` (the
 *   owner's inbox, the proxy's view of it, a partner's delivery failures); wire form
 *   base64url(`<ISO 8601 instant>|<uuid>`).
 * - {@link occurredAtSeqCursor}: (occurredAt, seq) for the audit log; wire form
 *   base64url(`<epoch ms>.<seq>`).
 *
 * A cursor is accepted only if it is exactly what `encode` writes for the position it decodes to
 * (so no alternative spellings: padding, other date forms, upper-case ids, stray bytes); anything
 * else is refused before it reaches a query. {@link parseCursor} throws the one VALIDATION_FAILED
 * every list gives for a cursor it did not issue.
 */
export type TCursorCodec<T> = {
  encode(position: T): string;
  /** The position, or null when `cursor` is not one this codec wrote. */
  decode(cursor: string): T | null;
};

/** Longest cursor accepted (both codecs write well under it). */
export const MAX_CURSOR_LENGTH = 200;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function canonical<T>(codec: (cursor: string) => T | null, encode: (p: T) => string, cursor: string): T | null {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  const position = codec(cursor);
  return position !== null && encode(position) === cursor ? position : null;
}

const text = (cursor: string) => Buffer.from(cursor, "base64url").toString("utf8");
const base64url = (s: string) => Buffer.from(s, "utf8").toString("base64url");

/** (createdAt, id) of the last item; `id` a UUID as PostgreSQL writes it (lower case). */
export type TCreatedAtIdPosition = { createdAt: Date; id: string };

const encodeCreatedAtId = (p: TCreatedAtIdPosition) => base64url(`${p.createdAt.toISOString()}|${p.id}`);

export const createdAtIdCursor: TCursorCodec<TCreatedAtIdPosition> = {
  encode: encodeCreatedAtId,
  decode: (cursor) =>
    canonical(
      (c) => {
        const parts = text(c).split("|");
        if (parts.length !== 2) return null;
        const [iso = "", id = ""] = parts;
        if (!ISO_INSTANT.test(iso) || !UUID.test(id)) return null;
        const createdAt = new Date(iso);
        return Number.isNaN(createdAt.getTime()) ? null : { createdAt, id };
      },
      encodeCreatedAtId,
      cursor,
    ),
};

/** (occurredAt, seq) of the last audit event. */
export type TOccurredAtSeqPosition = { occurredAt: Date; seq: bigint };

const encodeOccurredAtSeq = (p: TOccurredAtSeqPosition) => base64url(`${p.occurredAt.getTime()}.${p.seq}`);

export const occurredAtSeqCursor: TCursorCodec<TOccurredAtSeqPosition> = {
  encode: encodeOccurredAtSeq,
  decode: (cursor) =>
    canonical(
      (c) => {
        const m = /^([0-9]{1,15})\.([1-9][0-9]{0,18})$/.exec(text(c));
        if (!m?.[1] || !m[2]) return null;
        const occurredAt = new Date(Number(m[1]));
        return Number.isNaN(occurredAt.getTime()) ? null : { occurredAt, seq: BigInt(m[2]) };
      },
      encodeOccurredAtSeq,
      cursor,
    ),
};

/** The position in `cursor`; VALIDATION_FAILED (path `cursor`) when `codec` did not write it. */
export function parseCursor<T>(codec: TCursorCodec<T>, cursor: string): T {
  const position = codec.decode(cursor);
  if (position === null) {
    throw new AppError("VALIDATION_FAILED", {
      message: "The cursor is not valid.",
      details: [{ path: "cursor", message: "not a cursor of this list" }],
    });
  }
  return position;
}
