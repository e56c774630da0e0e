import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { TAuditChannel, TRequestMetadata } from "@/lib/audit/schemas";
import type { PrismaClient } from "@/lib/db/client";
import type { TProxyAction } from "./record-proxy-action";
import type { TProxyAccess } from "./schemas";

export type ListProxyGrantsOptions = {
  /** The principal (logged-in resident). */
  principalId: string;
  channel: TAuditChannel;
  requestMetadata?: TRequestMetadata;
  now?: Date;
};

export type TProxyGrantDto = {
  grantId: string;
  proxy: { displayName: string };
  access: TProxyAccess;
  domains: string[];
  endsAt: string;
  createdAt: string;
  status: "active" | "expired" | "revoked";
};

export type TProxyNoticeDto = {
  id: string;
  proxy: { displayName: string };
  action: TProxyAction;
  documentId: string | null;
  createdAt: string;
};

export type TProxyOverview = {
  /** The protected-person setting: all proxies frozen. */
  frozen: boolean;
  grants: TProxyGrantDto[];
  /** The newest proxy actions (up to 50). */
  notices: TProxyNoticeDto[];
};

/**
 * The principal's proxies page: their grants (with status), the newest proxy notices and the
 * protected-person setting. Shows the proxies' names, so it is audited as `proxy.listed`.
 */
export async function listProxyGrants(prisma: PrismaClient, options: ListProxyGrantsOptions): Promise<TProxyOverview> {
  const now = options.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const [grants, notices, protection] = await Promise.all([
      tx.proxyGrant.findMany({
        where: { principalId: options.principalId },
        orderBy: { createdAt: "desc" },
        take: 100,
        select: {
          id: true,
          proxyId: true,
          access: true,
          domains: true,
          endsAt: true,
          createdAt: true,
          revokedAt: true,
        },
      }),
      tx.proxyNotice.findMany({
        where: { principalId: options.principalId },
        orderBy: { createdAt: "desc" },
        take: 50,
        select: { id: true, proxyId: true, action: true, documentId: true, createdAt: true },
      }),
      tx.proxyProtection.findUnique({ where: { residentId: options.principalId }, select: { frozenAt: true } }),
    ]);
    const people = await tx.resident.findMany({
      where: { id: { in: [...new Set([...grants.map((g) => g.proxyId), ...notices.map((n) => n.proxyId)])] } },
      select: { id: true, familyName: true, givenName: true },
    });
    const names = new Map(people.map((p) => [p.id, `${p.familyName} ${p.givenName}`]));
    await appendAuditEvent(tx, {
      type: "proxy.listed",
      actor: { type: "resident", id: options.principalId },
      subjectResidentId: options.principalId,
      purpose: "代理人の一覧",
      channel: options.channel,
      requestMetadata: options.requestMetadata,
      data: { grants: grants.length, notices: notices.length },
    });
    return {
      frozen: Boolean(protection?.frozenAt),
      grants: grants.map((g) => ({
        grantId: g.id,
        proxy: { displayName: names.get(g.proxyId) ?? "—" },
        access: g.access,
        domains: g.domains,
        endsAt: g.endsAt.toISOString(),
        createdAt: g.createdAt.toISOString(),
        status: g.revokedAt ? "revoked" : g.endsAt <= now ? "expired" : "active",
      })),
      notices: notices.map((n) => ({
        id: n.id,
        proxy: { displayName: names.get(n.proxyId) ?? "—" },
        action: n.action as TProxyAction,
        documentId: n.documentId,
        createdAt: n.createdAt.toISOString(),
      })),
    };
  });
}
