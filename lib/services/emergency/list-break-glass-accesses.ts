import { appendAuditEvent } from "../../audit/append-audit-event";
import type { TRequestMetadata } from "../../audit/schemas";
import type { PrismaClient } from "../../db/client";
import { BREAK_GLASS_REASON_LABELS } from "./schemas";

export type TBreakGlassReviewDto = {
  id: string;
  grantedAt: string;
  expiresAt: string;
  reads: number;
  reader: { name: string; nameEn: string; kind: string };
  terminal: string;
  audience: string;
  reason: { category: string; label: { ja: string; en: string }; text: string };
  resident: { id: string; name: string; registryNumber: string };
};

/**
 * Break-glass reads for staff review (HEALTH_OFFICER): newest first, with the reason text the
 * crew typed. Reading this list shows residents' names, so each resident on it gets a
 * `staff.access` audit line in the same transaction.
 */
export async function listBreakGlassAccesses(
  prisma: PrismaClient,
  options: { staffId: string; limit?: number; requestMetadata?: TRequestMetadata },
): Promise<TBreakGlassReviewDto[]> {
  return prisma.$transaction(async (tx) => {
    const rows = await tx.breakGlassAccess.findMany({
      orderBy: [{ grantedAt: "desc" }, { id: "desc" }],
      take: Math.min(Math.max(options.limit ?? 50, 1), 200),
      select: {
        id: true,
        grantedAt: true,
        expiresAt: true,
        reads: true,
        audience: true,
        reasonCategory: true,
        reasonText: true,
        partner: { select: { name: true, nameEn: true, kind: true } },
        terminalDevice: { select: { label: true } },
        resident: { select: { id: true, familyName: true, givenName: true, registryNumber: true } },
      },
    });
    for (const residentId of new Set(rows.map((r) => r.resident.id))) {
      await appendAuditEvent(tx, {
        type: "staff.access",
        actor: { type: "staff", id: options.staffId },
        subjectResidentId: residentId,
        purpose: "緊急閲覧の事後確認",
        channel: "console",
        requestMetadata: options.requestMetadata,
        data: { view: "break_glass_review" },
      });
    }
    return rows.map((r) => ({
      id: r.id,
      grantedAt: r.grantedAt.toISOString(),
      expiresAt: r.expiresAt.toISOString(),
      reads: r.reads,
      reader: r.partner,
      terminal: r.terminalDevice.label,
      audience: r.audience,
      reason: {
        category: r.reasonCategory,
        label: BREAK_GLASS_REASON_LABELS[r.reasonCategory as keyof typeof BREAK_GLASS_REASON_LABELS] ?? {
          ja: r.reasonCategory,
          en: r.reasonCategory,
        },
        text: r.reasonText,
      },
      resident: {
        id: r.resident.id,
        name: `${r.resident.familyName}\u3000${r.resident.givenName}`,
        registryNumber: r.resident.registryNumber,
      },
    }));
  });
}
