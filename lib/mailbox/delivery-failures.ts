import { z } from "zod";
import type { PrismaClient } from "@/lib/db/client";
import { toErrorResponse, validationFailed } from "@/lib/errors/app-error";
import type { TErrorCode } from "@/lib/errors/codes";
import { createdAtIdCursor } from "@/lib/pagination/keyset-cursor";
import { createLog, errorFields } from "@/lib/log/logger";

/*
 * "failed" deliveries: a refused POST /api/v1/documents or a refused line of
 * POST /api/v1/documents/bulk is recorded as a DeliveryFailure — a delivery log, never a
 * document. The refused work has rolled back (nothing half-written); the failure is its own
 * insert afterwards, best effort: if it cannot be written the API answer is unchanged.
 *
 * Only the partner's own data is kept: the type and the recipient exactly as the partner
 * addressed it (its partnerRef or the registry number it sent), the error code and HTTP status,
 * the idempotency key and bulk line. Nothing else of the payload, and never a resident id: a
 * refused delivery may name nobody, and must not tell the partner who lives here.
 *
 * Idempotency: failures are NOT stored as DeliveryRequest answers. A retry with the same key
 * runs again (e.g. after the resident linked the partner, or after the signature was fixed) and
 * may succeed; only a delivered answer is replayed.
 */

const MAX_TYPE = 100;
const MAX_REF = 100;
const MAX_REGISTRY = 32;

/** What a failure records of the request, taken from the raw (maybe invalid) body. */
export type TFailureSubject = {
  documentType: string | null;
  recipientPartnerRef: string | null;
  recipientRegistryNumber: string | null;
};

/** A string as sent, truncated, without NUL (PostgreSQL text cannot hold it); else null. */
const str = (v: unknown, max: number): string | null =>
  typeof v === "string" && v.length > 0 ? v.replaceAll("\u0000", "").slice(0, max) : null;

/** An idempotency key worth keeping: 1–255 printable ASCII (as ZIdempotencyKey), else null. */
export const failureKeyOf = (v: unknown): string | null =>
  typeof v === "string" && /^[\x21-\x7e]{1,255}$/.test(v) ? v : null;

/** The type and recipient of a raw single-delivery body, as sent (truncated), or nulls. */
export function failureSubjectOf(rawDocument: unknown): TFailureSubject {
  const doc = rawDocument && typeof rawDocument === "object" ? (rawDocument as Record<string, unknown>) : {};
  const recipient =
    doc.recipient && typeof doc.recipient === "object" ? (doc.recipient as Record<string, unknown>) : {};
  return {
    documentType: str(doc.type, MAX_TYPE),
    recipientPartnerRef: str(recipient.partnerRef, MAX_REF),
    recipientRegistryNumber: str(recipient.registryNumber, MAX_REGISTRY),
  };
}

/** The stable code and HTTP status of an error, as the API answers it. */
export function failureCodeOf(err: unknown): { errorCode: TErrorCode; httpStatus: number } {
  const { status, body } = toErrorResponse(err);
  return { errorCode: body.error.code as TErrorCode, httpStatus: status };
}

export type TDeliveryFailureInput = TFailureSubject & {
  partnerId: string;
  idempotencyKey?: string | null;
  errorCode: TErrorCode;
  httpStatus: number;
  bulkLine?: number | null;
  bulkId?: string | null;
  createdAt?: Date;
};

/**
 * Writes refused deliveries (one statement). Never throws: a failure log that cannot be written
 * is reported on the console and the caller's answer stays what it was.
 */
export async function recordDeliveryFailures(prisma: PrismaClient, rows: TDeliveryFailureInput[]): Promise<void> {
  if (rows.length === 0) return;
  try {
    await prisma.deliveryFailure.createMany({
      data: rows.map((r) => ({
        partnerId: r.partnerId,
        idempotencyKey: failureKeyOf(r.idempotencyKey),
        documentType: r.documentType,
        recipientPartnerRef: r.recipientPartnerRef,
        recipientRegistryNumber: r.recipientRegistryNumber,
        errorCode: r.errorCode,
        httpStatus: r.httpStatus,
        bulkLine: r.bulkLine ?? null,
        bulkId: r.bulkId ?? null,
        ...(r.createdAt ? { createdAt: r.createdAt } : {}),
      })),
    });
  } catch (err) {
    createLog("mailbox/delivery-failures").error(
      { count: rows.length, ...errorFields(err) },
      "could not record delivery failures",
    );
  }
}

/** Deletes failures older than `keepDays` (lib/jobs/housekeeping.ts). Returns the count. */
export async function pruneDeliveryFailures(
  prisma: PrismaClient,
  options: { keepDays: number; now?: Date },
): Promise<number> {
  const cutoff = new Date((options.now ?? new Date()).getTime() - options.keepDays * 86_400_000);
  const { count } = await prisma.deliveryFailure.deleteMany({ where: { createdAt: { lt: cutoff } } });
  return count;
}

/** One failure as the partner sees it (API and console). */
export const ZDeliveryFailure = z.strictObject({
  id: z.uuid(),
  failedAt: z.iso.datetime(),
  errorCode: z.string().meta({ description: "The stable error code the delivery was refused with" }),
  httpStatus: z.number().int(),
  idempotencyKey: z.string().nullable(),
  documentType: z.string().nullable().meta({ description: "`type` as you sent it (truncated to 100 characters)" }),
  recipient: z
    .strictObject({ partnerRef: z.string().nullable(), registryNumber: z.string().nullable() })
    .meta({ description: "The recipient as you addressed it" }),
  bulkLine: z.number().int().nullable().meta({ description: "Line of a bulk request; null for a single delivery" }),
});
export type TDeliveryFailure = z.infer<typeof ZDeliveryFailure>;

const failureSelect = {
  id: true,
  createdAt: true,
  errorCode: true,
  httpStatus: true,
  idempotencyKey: true,
  documentType: true,
  recipientPartnerRef: true,
  recipientRegistryNumber: true,
  bulkLine: true,
} as const;

type TFailureRow = {
  id: string;
  createdAt: Date;
  errorCode: string;
  httpStatus: number;
  idempotencyKey: string | null;
  documentType: string | null;
  recipientPartnerRef: string | null;
  recipientRegistryNumber: string | null;
  bulkLine: number | null;
};

export function toDeliveryFailure(r: TFailureRow): TDeliveryFailure {
  return {
    id: r.id,
    failedAt: r.createdAt.toISOString(),
    errorCode: r.errorCode,
    httpStatus: r.httpStatus,
    idempotencyKey: r.idempotencyKey,
    documentType: r.documentType,
    recipient: { partnerRef: r.recipientPartnerRef, registryNumber: r.recipientRegistryNumber },
    bulkLine: r.bulkLine,
  };
}

/** Opaque keyset cursor: the last item's (createdAt, id). */
const ZCursor = z
  .string()
  .max(200)
  .transform((s, ctx) => {
    const position = createdAtIdCursor.decode(s);
    if (!position) {
      ctx.addIssue({ code: "custom", message: "not a cursor from this API" });
      return z.NEVER;
    }
    return position;
  });

export const ZListDeliveryFailures = z.object({
  partnerId: z.uuid(),
  cursor: ZCursor.optional(),
  limit: z.number().int().min(1).max(100).default(50),
});
export type TListDeliveryFailures = z.input<typeof ZListDeliveryFailures>;

/**
 * The partner's own refused deliveries, newest first, by keyset cursor (stable while new ones
 * arrive). No resident data: nothing to audit.
 * Throws VALIDATION_FAILED for a malformed cursor or limit.
 */
export async function listDeliveryFailures(
  prisma: PrismaClient,
  options: TListDeliveryFailures,
): Promise<{ failures: TDeliveryFailure[]; nextCursor: string | null }> {
  const parsed = ZListDeliveryFailures.safeParse(options);
  if (!parsed.success) {
    throw validationFailed(parsed.error);
  }
  const { partnerId, cursor, limit } = parsed.data;
  const rows = await prisma.deliveryFailure.findMany({
    where: {
      partnerId,
      ...(cursor
        ? {
            OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }],
          }
        : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: failureSelect,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    failures: page.map(toDeliveryFailure),
    nextCursor: rows.length > limit && last ? createdAtIdCursor.encode(last) : null,
  };
}

/** The console's page of failures (page paging with a total), newest first. */
export async function pageDeliveryFailures(
  prisma: PrismaClient,
  options: { partnerId: string; page: number; pageSize: number },
): Promise<{ items: TDeliveryFailure[]; total: number }> {
  const where = { partnerId: options.partnerId };
  const [total, rows] = await Promise.all([
    prisma.deliveryFailure.count({ where }),
    prisma.deliveryFailure.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (options.page - 1) * options.pageSize,
      take: options.pageSize,
      select: failureSelect,
    }),
  ]);
  return { items: rows.map(toDeliveryFailure), total };
}
