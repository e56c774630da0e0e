import { appendAuditEvent } from "../../audit/append-audit-event";
import type { TRequestMetadata } from "../../audit/schemas";
import type { PrismaClient } from "../../db/client";
import { AppError } from "../../errors/app-error";
import type { TBusEligibility } from "./eligibility";

export type TSetBusEligibilityShareOptions = {
  residentId: string;
  partnerId: string;
  predicate: Exclude<TBusEligibility, "NONE">;
  /** true: the resident agrees that the operator may learn the predicate; false: withdraws it. */
  share: boolean;
  channel?: "pc" | "phone" | "tv";
  requestMetadata?: TRequestMetadata;
  now?: Date;
};

/**
 * The resident's consent that the bus operator may learn one predicate ("aged 70 or over",
 * "holds a disability certificate") — never the date of birth or the certificate itself. Written
 * to the consent ledger's audit trail (consent.given / consent.revoked). Withdrawing stops new
 * discounted purchases; tickets bought before keep the evidence they were bought on.
 */
export async function setBusEligibilityShare(
  prisma: PrismaClient,
  o: TSetBusEligibilityShareOptions,
): Promise<{ shared: boolean }> {
  const now = o.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const partner = await tx.partner.findUnique({ where: { id: o.partnerId }, select: { kind: true, active: true } });
    if (!partner?.active || partner.kind !== "BUS_OPERATOR")
      throw new AppError("NOT_FOUND", { message: "No such bus operator." });
    const key = { residentId: o.residentId, partnerId: o.partnerId, predicate: o.predicate };
    if (o.share) {
      await tx.busEligibilityShare.upsert({
        where: { residentId_partnerId_predicate: key },
        create: { ...key, grantedAt: now },
        update: { grantedAt: now, revokedAt: null },
      });
    } else {
      await tx.busEligibilityShare.updateMany({ where: { ...key, revokedAt: null }, data: { revokedAt: now } });
    }
    await appendAuditEvent(tx, {
      type: o.share ? "consent.given" : "consent.revoked",
      actor: { type: "resident", id: o.residentId },
      subjectResidentId: o.residentId,
      purpose: "バスの割引資格の提供",
      channel: o.channel ?? "pc",
      requestMetadata: o.requestMetadata,
      data: { consent: "bus.eligibility", partnerId: o.partnerId, predicate: o.predicate },
    });
    return { shared: o.share };
  });
}
