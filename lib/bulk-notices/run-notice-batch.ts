import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Prisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import type { TErrorCode } from "@/lib/errors/codes";
import { signCms } from "@/lib/jpki";
import { createLog } from "@/lib/log/logger";
import { canonicalJsonBytes } from "@/lib/mailbox/canonical-json";
import { deliverDocument } from "@/lib/mailbox/deliver-document";
import type { TTownSigner } from "@/lib/services/applications/town-signer";
import { nowOf, type TBulkNoticesContext } from "./context";
import { fillPlaceholders } from "./parse-notice-csv";

const log = createLog("bulk-notices");

/** Lines read per round; the lease is renewed after each. */
const CHUNK = 50;
/** How long a job holds a batch without renewing; a job that died leaves it to the next after this. */
const LEASE_MS = 2 * 60_000;
/** The document type every line becomes (lib/mailbox/document-types/municipal-notice.ts). */
export const NOTICE_DOCUMENT_TYPE = "municipal-notice";
/**
 * Delivery refusals that are the town's, not the line's: the batch stops FAILED with the code
 * and its PENDING lines stay pending (a re-run after the fix finishes them).
 */
const BATCH_FAULTS: ReadonlySet<TErrorCode> = new Set([
  "TOWN_SIGNER_UNAVAILABLE",
  "PARTNER_INACTIVE",
  "DOCUMENT_SIGNATURE_INVALID",
  "DOCUMENT_ISSUER_MISMATCH",
  "DOCUMENT_ISSUER_REVOKED",
  "DOCUMENT_TYPE_UNKNOWN",
]);

export type TRunNoticeBatchResult =
  | { ran: false }
  | { ran: true; status: "COMPLETED" | "FAILED"; delivered: number; refused: number; failureCode?: string };

/** The idempotency key of a line's delivery: a re-run, or a second job, can never deliver it twice. */
export function noticeDeliveryKey(batchId: string, lineNumber: number): string {
  return `notice-${batchId}-${lineNumber}`;
}

/** The day in Japan (YYYY-MM-DD) of an instant: the notice's issue date. */
function japanDay(at: Date): string {
  return new Date(at.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
}

/** Thrown inside a delivery's transaction when another job decided the line first: rolls the delivery back. */
class LineTaken extends Error {}

/**
 * The background job of one bulk notice. Takes the batch (QUEUED, or RUNNING with a lapsed
 * lease: a job that died), then works through its PENDING lines in order; for each line:
 *
 * - the resident is read from the registry by registry number: none (or a sandbox resident of the
 *   partners' TEST world) → NOTICE_RESIDENT_UNKNOWN,
 *   left the town → NOTICE_RESIDENT_MOVED_OUT (REFUSED, no document);
 * - otherwise a `municipal-notice` is built from the resident's own record (name, address, postal
 *   code — never from the CSV), the notice text with the line's {{variables}} filled in, signed
 *   by the town's signer (TOWN_SIGNER_DIR, the signer of its other documents) and delivered
 *   through the ordinary mailbox delivery with the line's idempotency key. The line becomes
 *   DELIVERED inside that delivery's own transaction (`withinDelivery`): a line is delivered and
 *   reported, or neither. Any other refusal of the delivery is the line's REFUSED code; a
 *   refusal that is the town's (its signer, its certificate) stops the batch FAILED.
 *
 * A database fault is thrown (pg-boss retries; committed lines keep their outcome). When no line
 * is pending the batch is COMPLETED, audited `notice.batch_completed` with the counts.
 */
export async function runNoticeBatch(ctx: TBulkNoticesContext, batchId: string): Promise<TRunNoticeBatchResult> {
  const now = nowOf(ctx);
  const claimed = await ctx.prisma.noticeBatch.updateMany({
    where: {
      id: batchId,
      OR: [{ status: "QUEUED" }, { status: "RUNNING", OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] }],
    },
    data: { status: "RUNNING", leaseUntil: new Date(now.getTime() + LEASE_MS) },
  });
  if (claimed.count !== 1) return { ran: false };
  await ctx.prisma.noticeBatch.updateMany({ where: { id: batchId, startedAt: null }, data: { startedAt: now } });
  const batch = await ctx.prisma.noticeBatch.findUniqueOrThrow({
    where: { id: batchId },
    select: { id: true, title: true, body: true, titleEn: true, bodyEn: true, createdAt: true },
  });

  let signer: TTownSigner;
  let townId: string;
  try {
    signer = await ctx.townSigner();
    const town = await ctx.prisma.partner.findUnique({ where: { slug: signer.partnerSlug }, select: { id: true } });
    if (!town) throw new AppError("TOWN_SIGNER_UNAVAILABLE", { message: "The town's partner record is missing." });
    townId = town.id;
  } catch (err) {
    if (err instanceof AppError) return fail(ctx, batchId, err.code);
    throw err;
  }
  const trustAnchors = await ctx.issuerTrustAnchors();

  for (;;) {
    const lines = await ctx.prisma.noticeLine.findMany({
      where: { batchId, status: "PENDING" },
      orderBy: { lineNumber: "asc" },
      take: CHUNK,
      select: { id: true, lineNumber: true, registryNumber: true, values: true },
    });
    if (lines.length === 0) break;
    // The CRL revalidates per chunk (a conditional GET): a town certificate revoked meanwhile stops the batch.
    const issuerCrls = ctx.issuerCrls ? await ctx.issuerCrls() : undefined;
    const residents = await ctx.prisma.resident.findMany({
      where: { registryNumber: { in: lines.map((l) => l.registryNumber) } },
      select: {
        registryNumber: true,
        familyName: true,
        givenName: true,
        address: true,
        postalCode: true,
        leftAt: true,
        sandbox: true,
      },
    });
    const byNumber = new Map(residents.map((r) => [r.registryNumber, r]));
    for (const line of lines) {
      const resident = byNumber.get(line.registryNumber);
      // A sandbox resident (partners' TEST world) is no one the town writes to.
      if (!resident || resident.sandbox) {
        await refuse(ctx, line.id, "NOTICE_RESIDENT_UNKNOWN");
        continue;
      }
      if (resident.leftAt) {
        await refuse(ctx, line.id, "NOTICE_RESIDENT_MOVED_OUT");
        continue;
      }
      const name = `${resident.familyName} ${resident.givenName}`;
      const values = { ...(line.values as Record<string, string>), 氏名: name, name };
      const payload = {
        municipality: signer.municipality,
        noticeNumber: `N-${batch.id.slice(0, 8).toUpperCase()}`,
        issuedOn: japanDay(batch.createdAt),
        addressee: {
          name,
          address: resident.address,
          ...(/^\d{3}-?\d{4}$/.test(resident.postalCode) ? { postalCode: resident.postalCode } : {}),
        },
        title: fillPlaceholders(batch.title, values),
        body: fillPlaceholders(batch.body, values),
        ...(batch.titleEn ? { titleEn: fillPlaceholders(batch.titleEn, values) } : {}),
        ...(batch.bodyEn ? { bodyEn: fillPlaceholders(batch.bodyEn, values) } : {}),
      };
      try {
        const signature = await signCms({
          content: canonicalJsonBytes(payload),
          signerCertificate: signer.certificate,
          privateKey: signer.privateKey,
          detached: true,
          signingTime: now,
        });
        const result = await deliverDocument(ctx.prisma, {
          partnerId: townId,
          idempotencyKey: noticeDeliveryKey(batchId, line.lineNumber),
          trustAnchors,
          issuerCrls,
          // The town's own notices reach real residents only (lib/credential-mode), as a LIVE credential's.
          credentialMode: "LIVE",
          now: nowOf(ctx),
          request: {
            type: "municipal-notice",
            recipient: { registryNumber: line.registryNumber },
            payload,
            signature: Buffer.from(signature).toString("base64"),
          },
          withinDelivery: async (tx, delivered) => {
            const { count } = await tx.noticeLine.updateMany({
              where: { id: line.id, status: "PENDING" },
              data: { status: "DELIVERED", documentId: delivered.documentId, decidedAt: nowOf(ctx) },
            });
            if (count !== 1) throw new LineTaken();
          },
        });
        if (result.replayed) {
          // Delivered before under this key: its line was decided in that delivery's transaction.
          await ctx.prisma.noticeLine.updateMany({
            where: { id: line.id, status: "PENDING" },
            data: { status: "DELIVERED", documentId: result.receipt.id, decidedAt: nowOf(ctx) },
          });
        }
      } catch (err) {
        if (err instanceof LineTaken) continue;
        if (!(err instanceof AppError)) throw err;
        if (BATCH_FAULTS.has(err.code)) return fail(ctx, batchId, err.code);
        if (err.code === "IDEMPOTENCY_KEY_REUSED") {
          // Delivered before under this key (another signing time, so another request hash):
          // record that delivery rather than refuse a line whose document is in the mailbox.
          const prior = await ctx.prisma.deliveryRequest.findUnique({
            where: {
              partnerId_idempotencyKey: {
                partnerId: townId,
                idempotencyKey: noticeDeliveryKey(batchId, line.lineNumber),
              },
            },
            select: { documentId: true },
          });
          if (prior?.documentId) {
            await ctx.prisma.noticeLine.updateMany({
              where: { id: line.id, status: "PENDING" },
              data: { status: "DELIVERED", documentId: prior.documentId, decidedAt: nowOf(ctx) },
            });
            continue;
          }
        }
        // The resident left between the read above and the delivery: the same code as above.
        await refuse(ctx, line.id, err.code === "RECIPIENT_NOT_LINKED" ? "NOTICE_RESIDENT_MOVED_OUT" : err.code);
      }
    }
    await ctx.prisma.noticeBatch.updateMany({
      where: { id: batchId, status: "RUNNING" },
      data: { leaseUntil: new Date(nowOf(ctx).getTime() + LEASE_MS) },
    });
  }
  return complete(ctx, batchId);
}

/** A line refused with its code, unless another job decided it first. */
async function refuse(ctx: TBulkNoticesContext, lineId: string, code: string): Promise<void> {
  await ctx.prisma.noticeLine.updateMany({
    where: { id: lineId, status: "PENDING" },
    data: { status: "REFUSED", refusalCode: code, decidedAt: nowOf(ctx) },
  });
}

async function counts(tx: Prisma.TransactionClient, batchId: string): Promise<{ delivered: number; refused: number }> {
  const groups = await tx.noticeLine.groupBy({ by: ["status"], where: { batchId }, _count: { _all: true } });
  const of = (s: string) => groups.find((g) => g.status === s)?._count._all ?? 0;
  return { delivered: of("DELIVERED"), refused: of("REFUSED") };
}

async function fail(ctx: TBulkNoticesContext, batchId: string, code: string): Promise<TRunNoticeBatchResult> {
  log.warn({ batchId, code }, "bulk notice stopped");
  await ctx.prisma.noticeBatch.updateMany({
    where: { id: batchId, status: "RUNNING" },
    data: { status: "FAILED", failureCode: code, leaseUntil: null },
  });
  return { ran: true, status: "FAILED", failureCode: code, ...(await counts(ctx.prisma, batchId)) };
}

async function complete(ctx: TBulkNoticesContext, batchId: string): Promise<TRunNoticeBatchResult> {
  return ctx.prisma.$transaction(async (tx) => {
    const c = await counts(tx, batchId);
    const { count } = await tx.noticeBatch.updateMany({
      where: { id: batchId, status: "RUNNING" },
      data: { status: "COMPLETED", finishedAt: nowOf(ctx), leaseUntil: null },
    });
    if (count === 1) {
      await appendAuditEvent(tx, {
        type: "notice.batch_completed",
        actor: { type: "system", id: "bulk-notices" },
        channel: "system",
        purpose: "お知らせの一括送付",
        data: { batchId, ...c },
      });
      log.info({ batchId, ...c }, "bulk notice completed");
    }
    return { ran: true as const, status: "COMPLETED" as const, ...c };
  });
}

/**
 * Batches the job should run now: QUEUED, or RUNNING under a lapsed lease (the job that held it
 * died). The worker's sweep runs them, so a batch whose queue message was lost still goes out.
 */
export async function dueNoticeBatches(ctx: TBulkNoticesContext): Promise<string[]> {
  const now = nowOf(ctx);
  const rows = await ctx.prisma.noticeBatch.findMany({
    where: { OR: [{ status: "QUEUED" }, { status: "RUNNING", leaseUntil: { lt: now } }] },
    orderBy: { createdAt: "asc" },
    take: 20,
    select: { id: true },
  });
  return rows.map((r) => r.id);
}
