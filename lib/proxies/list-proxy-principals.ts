import type { PrismaClient } from "@/lib/db/client";

export type TProxyPrincipalDto = {
  principalId: string;
  displayName: string;
  domains: string[];
  canAct: boolean;
  endsAt: string;
};

/**
 * The residents the logged-in resident may act for now (working grants only: not revoked, not
 * ended, principal not protected, principal still a resident). Only the proxy's own grants are
 * read, so this names no one who has not chosen them.
 */
export async function listProxyPrincipals(
  prisma: PrismaClient,
  options: { proxyId: string; now?: Date },
): Promise<TProxyPrincipalDto[]> {
  const now = options.now ?? new Date();
  const grants = await prisma.proxyGrant.findMany({
    where: { proxyId: options.proxyId, revokedAt: null, endsAt: { gt: now } },
    orderBy: { endsAt: "desc" },
    select: { principalId: true, access: true, domains: true, endsAt: true },
  });
  const ids = [...new Set(grants.map((g) => g.principalId))];
  const [frozen, people] = await Promise.all([
    prisma.proxyProtection.findMany({
      where: { residentId: { in: ids }, frozenAt: { not: null } },
      select: { residentId: true },
    }),
    prisma.resident.findMany({
      where: { id: { in: ids }, leftAt: null },
      select: { id: true, familyName: true, givenName: true },
    }),
  ]);
  const frozenIds = new Set(frozen.map((f) => f.residentId));
  const byId = new Map<string, TProxyPrincipalDto>();
  for (const p of people) {
    if (frozenIds.has(p.id)) continue;
    const mine = grants.filter((g) => g.principalId === p.id);
    byId.set(p.id, {
      principalId: p.id,
      displayName: `${p.familyName} ${p.givenName}`,
      domains: [...new Set(mine.flatMap((g) => g.domains))].sort(),
      canAct: mine.some((g) => g.access === "READ_ACT"),
      endsAt: mine[0]?.endsAt.toISOString() ?? now.toISOString(),
    });
  }
  return [...byId.values()];
}
