import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { TAuditChannel, TAuditEventType, TRequestMetadata } from "@/lib/audit/schemas";
import type { Prisma } from "@/lib/db/client";
import { enqueueProxyActionNotification } from "@/lib/notifications/proxy-action-notifications";

/** Actions a principal is told about on /settings/proxies. */
export type TProxyAction = "listed" | "read" | "downloaded" | "archived" | "restored";

/**
 * Records one proxy action twice in the caller's transaction: the audit event with actor
 * "proxy" (the principal's access log names the proxy) and a ProxyNotice the principal sees on
 * their proxies page (every proxy action notifies the principal), and queues the
 * principal's e-mail about it (kind of action and who, never the document; their choice applies).
 */
export async function recordProxyAction(
  tx: Prisma.TransactionClient,
  options: {
    type: TAuditEventType;
    action: TProxyAction;
    proxyId: string;
    principalId: string;
    grantId: string;
    documentId?: string;
    purpose: string;
    channel: TAuditChannel;
    requestMetadata?: TRequestMetadata;
    data?: Record<string, string | number | boolean | string[]>;
  },
): Promise<void> {
  await tx.proxyNotice.create({
    data: {
      principalId: options.principalId,
      grantId: options.grantId,
      proxyId: options.proxyId,
      action: options.action,
      documentId: options.documentId ?? null,
    },
    select: { id: true },
  });
  await enqueueProxyActionNotification(tx, {
    principalId: options.principalId,
    proxyId: options.proxyId,
    action: options.action,
  });
  await appendAuditEvent(tx, {
    type: options.type,
    actor: { type: "proxy", id: options.proxyId },
    subjectResidentId: options.principalId,
    purpose: options.purpose,
    channel: options.channel,
    requestMetadata: options.requestMetadata,
    data: {
      grantId: options.grantId,
      action: options.action,
      ...(options.documentId ? { documentId: options.documentId } : {}),
      ...(options.data ?? {}),
    },
  });
}
