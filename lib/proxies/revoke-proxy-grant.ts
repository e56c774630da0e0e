import { isUuid } from "../db/ids";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { TAuditChannel, TRequestMetadata } from "@/lib/audit/schemas";
import type { PrismaClient } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";

export type RevokeProxyGrantOptions = {
  /** The principal; only their own grants can be revoked. */
  principalId: string;
  grantId: string;
  channel: TAuditChannel;
  requestMetadata?: TRequestMetadata;
  now?: Date;
};

/**
 * Revokes one of the principal's proxy grants at once (the proxy's next request is refused).
 * Revoking twice is a no-op audited once; NOT_FOUND for anyone else's grant.
 */
export async function revokeProxyGrant(prisma: PrismaClient, options: RevokeProxyGrantOptions): Promise<void> {
  if (!isUuid(options.grantId)) throw new AppError("NOT_FOUND");
  const now = options.now ?? new Date();
  await prisma.$transaction(async (tx) => {
    const grant = await tx.proxyGrant.findFirst({
      where: { id: options.grantId, principalId: options.principalId },
      select: { id: true, proxyId: true },
    });
    if (!grant) throw new AppError("NOT_FOUND");
    const { count } = await tx.proxyGrant.updateMany({
      where: { id: grant.id, revokedAt: null },
      data: { revokedAt: now },
    });
    if (count === 0) return;
    await appendAuditEvent(tx, {
      type: "proxy.revoked",
      actor: { type: "resident", id: options.principalId },
      subjectResidentId: options.principalId,
      purpose: "代理人の取り消し",
      channel: options.channel,
      requestMetadata: options.requestMetadata,
      data: { grantId: grant.id, proxyId: grant.proxyId },
    });
  });
}
