import { z } from "zod";
import { appendAuditEvent } from "../audit/append-audit-event";
import { type TRequestMetadata, ZRequestMetadata } from "../audit/schemas";
import type { Prisma, PrismaClient } from "../db/client";
import { pageDeliveryFailures, type TDeliveryFailure } from "../mailbox/delivery-failures";
import { documentStatus, documentStatusWhere } from "../mailbox/dto";
import { type TDocumentStatus, ZDocumentStatus } from "../mailbox/schemas";

/** Console status of a delivered document: the one definition of lib/mailbox (dto.ts). */
export const ZPartnerDocumentStatus = ZDocumentStatus;
export type TPartnerDocumentStatus = TDocumentStatus;

/** The console's filter: a document status, or `failed` (refused deliveries, no documents). */
export const ZPartnerDocumentFilter = z.enum([...ZDocumentStatus.options, "failed"]);
export type TPartnerDocumentFilter = z.infer<typeof ZPartnerDocumentFilter>;

export const ZListPartnerDocuments = z.object({
  partnerId: z.uuid(),
  status: ZPartnerDocumentStatus.optional(),
  page: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(1).max(100).default(20),
  requestMetadata: ZRequestMetadata.optional(),
  now: z.date().optional(),
});
export type TListPartnerDocuments = z.input<typeof ZListPartnerDocuments>;

export type TPartnerDocumentItem = {
  id: string;
  type: string;
  status: TPartnerDocumentStatus;
  deliveredAt: Date;
  openedAt: Date | null;
  expiresAt: Date | null;
  signatureValid: boolean;
};

function whereOf(partnerId: string, status: TPartnerDocumentStatus | undefined, now: Date) {
  const base: Prisma.MailboxDocumentWhereInput = { issuerPartnerId: partnerId };
  return status ? { AND: [base, documentStatusWhere(status, now)] } : base;
}

/**
 * The delivery status of the partner's own documents, newest first, by page, optionally of one
 * status. Whether a resident opened or shared a document is the resident's data, so every
 * document shown is audited (`document.receipt_read`, channel console), as the API's receipt is.
 * The recipient's identity is never part of the answer.
 */
export async function listPartnerDocuments(
  prisma: PrismaClient,
  options: TListPartnerDocuments,
): Promise<{ items: TPartnerDocumentItem[]; total: number; page: number; pageSize: number }> {
  const input = ZListPartnerDocuments.parse(options);
  const now = input.now ?? new Date();
  const where = whereOf(input.partnerId, input.status, now);
  return prisma.$transaction(async (tx) => {
    const [total, rows] = await Promise.all([
      tx.mailboxDocument.count({ where }),
      tx.mailboxDocument.findMany({
        where,
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        skip: (input.page - 1) * input.pageSize,
        take: input.pageSize,
        select: {
          id: true,
          type: true,
          residentId: true,
          createdAt: true,
          readAt: true,
          expiresAt: true,
          signatureValid: true,
          _count: { select: { shares: true } },
        },
      }),
    ]);
    const items = rows.map((r) => {
      const status = documentStatus(r, now);
      return {
        item: {
          id: r.id,
          type: r.type,
          status,
          deliveredAt: r.createdAt,
          openedAt: r.readAt,
          expiresAt: r.expiresAt,
          signatureValid: r.signatureValid,
        },
        residentId: r.residentId,
      };
    });
    for (const { item, residentId } of items) {
      await appendAuditEvent(tx, {
        type: "document.receipt_read",
        actor: { type: "partner", id: input.partnerId },
        subjectResidentId: residentId,
        purpose: "配信状況の確認",
        channel: "console",
        requestMetadata: input.requestMetadata as TRequestMetadata | undefined,
        data: { documentId: item.id, status: item.status },
      });
    }
    return { items: items.map((i) => i.item), total, page: input.page, pageSize: input.pageSize };
  });
}

export const ZListPartnerDeliveryFailures = z.object({
  partnerId: z.uuid(),
  page: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(1).max(100).default(20),
});

/**
 * The console's `failed` filter: the partner's own refused deliveries (DeliveryFailure, written by
 * lib/mailbox delivery-failures.ts), newest first, by page. They hold only what the partner sent
 * (type, its recipient reference) and no resident data, so listing them is not audited.
 */
export async function listPartnerDeliveryFailures(
  prisma: PrismaClient,
  options: z.input<typeof ZListPartnerDeliveryFailures>,
): Promise<{ items: TDeliveryFailure[]; total: number; page: number; pageSize: number }> {
  const input = ZListPartnerDeliveryFailures.parse(options);
  const { items, total } = await pageDeliveryFailures(prisma, input);
  return { items, total, page: input.page, pageSize: input.pageSize };
}
