import { appendAuditEvent } from "../audit/append-audit-event";
import type { TRequestMetadata } from "../audit/schemas";
import type { PrismaClient } from "../db/client";
import { AppError } from "../errors/app-error";

/** The consent's purpose in the consent ledger (consent.given / consent.revoked). */
export const TRAFFIC_MONITOR_PURPOSE = "traffic_monitor";

/** Whether the resident is an active traffic monitor now. */
export async function isTrafficMonitor(prisma: PrismaClient, residentId: string): Promise<boolean> {
  return (await prisma.trafficMonitor.count({ where: { residentId, withdrawnAt: null } })) > 0;
}

/**
 * The resident volunteers as a traffic monitor (join) or withdraws (leave): their later congestion
 * reports weigh 2 instead of 1 (congestion.ts). A consent in the ledger: `consent.given` /
 * `consent.revoked` with the purpose {@link TRAFFIC_MONITOR_PURPOSE}, in the resident's access log.
 * Joining twice or leaving without having joined: TRAFFIC_MONITOR_STATE (the database allows one
 * active row per resident).
 */
export async function setTrafficMonitor(
  prisma: PrismaClient,
  o: { residentId: string; join: boolean; requestMetadata?: TRequestMetadata; now?: Date },
): Promise<void> {
  const now = o.now ?? new Date();
  await prisma.$transaction(async (tx) => {
    const active = await tx.trafficMonitor.findFirst({ where: { residentId: o.residentId, withdrawnAt: null } });
    if (o.join === (active !== null)) throw new AppError("TRAFFIC_MONITOR_STATE");
    if (o.join) await tx.trafficMonitor.create({ data: { residentId: o.residentId, optedInAt: now } });
    else await tx.trafficMonitor.update({ where: { id: active!.id }, data: { withdrawnAt: now } });
    await appendAuditEvent(tx, {
      type: o.join ? "consent.given" : "consent.revoked",
      actor: { type: "resident", id: o.residentId },
      subjectResidentId: o.residentId,
      purpose: TRAFFIC_MONITOR_PURPOSE,
      channel: "pc",
      requestMetadata: o.requestMetadata,
      data: { consent: TRAFFIC_MONITOR_PURPOSE },
    });
  });
}
