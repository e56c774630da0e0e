import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { TAuditChannel, TRequestMetadata } from "@/lib/audit/schemas";
import type { PrismaClient } from "@/lib/db/client";

export type SetProxyProtectionOptions = {
  residentId: string;
  /** true: every proxy grant of the resident stops working at once (and no new one can be made). */
  frozen: boolean;
  channel: TAuditChannel;
  requestMetadata?: TRequestMetadata;
  now?: Date;
};

/**
 * The protected-person setting: one switch that freezes all of a resident's proxies, e.g. when a
 * carer relationship turns abusive. Grants are not revoked, so turning it off restores the ones
 * still within their end date. Audited `proxy.protection_changed`.
 */
export async function setProxyProtection(prisma: PrismaClient, options: SetProxyProtectionOptions): Promise<void> {
  const now = options.now ?? new Date();
  await prisma.$transaction(async (tx) => {
    const frozenAt = options.frozen ? now : null;
    await tx.proxyProtection.upsert({
      where: { residentId: options.residentId },
      create: { residentId: options.residentId, frozenAt },
      update: { frozenAt },
    });
    await appendAuditEvent(tx, {
      type: "proxy.protection_changed",
      actor: { type: "resident", id: options.residentId },
      subjectResidentId: options.residentId,
      purpose: options.frozen ? "代理人の一時停止" : "代理人の一時停止の解除",
      channel: options.channel,
      requestMetadata: options.requestMetadata,
      data: { frozen: options.frozen },
    });
  });
}
