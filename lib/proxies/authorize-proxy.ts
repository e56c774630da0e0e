import { isProtectedResident } from "@/lib/protection/protection";
import { isUuid } from "../db/ids";
import type { Prisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import type { TDocumentDomain } from "@/lib/mailbox/document-types/define-document-type";

/** What a proxy may do for one principal right now: the union of its working grants. */
export type TProxyAuthority = {
  /** The grant recorded on notices: the one with the latest end among the working grants. */
  grantId: string;
  domains: TDocumentDomain[];
  canAct: boolean;
};

/**
 * The proxy's authority over the principal, checked in the caller's transaction before any read
 * of the principal's data. A grant works while it is not revoked, before its end, while the
 * principal's protected-person setting is off and both people are still residents. Every
 * failure, including a malformed id or a principal who does not exist, is the one code
 * PROXY_NOT_AUTHORIZED, so a caller learns nothing about other residents or why.
 */
export async function requireProxyAuthorityOrThrow(
  tx: Prisma.TransactionClient,
  options: { proxyId: string; principalId: string; now: Date; act?: boolean },
): Promise<TProxyAuthority> {
  if (!isUuid(options.principalId) || options.principalId === options.proxyId) {
    throw new AppError("PROXY_NOT_AUTHORIZED");
  }
  const [grants, protection, people] = await Promise.all([
    tx.proxyGrant.findMany({
      where: {
        proxyId: options.proxyId,
        principalId: options.principalId,
        revokedAt: null,
        endsAt: { gt: options.now },
      },
      orderBy: { endsAt: "desc" },
      select: { id: true, access: true, domains: true },
    }),
    tx.proxyProtection.findUnique({ where: { residentId: options.principalId }, select: { frozenAt: true } }),
    tx.resident.count({ where: { id: { in: [options.principalId, options.proxyId] }, leftAt: null } }),
  ]);
  const first = grants[0];
  if (!first || protection?.frozenAt || people !== 2) throw new AppError("PROXY_NOT_AUTHORIZED");
  // A protected person (支援措置, set by staff): no proxy acts for them.
  if (await isProtectedResident(tx, options.principalId)) throw new AppError("PROXY_NOT_AUTHORIZED");
  const canAct = grants.some((g) => g.access === "READ_ACT");
  if (options.act && !canAct) throw new AppError("PROXY_READ_ONLY");
  return {
    grantId: first.id,
    domains: [...new Set(grants.flatMap((g) => g.domains))].sort() as TDocumentDomain[],
    canAct,
  };
}
