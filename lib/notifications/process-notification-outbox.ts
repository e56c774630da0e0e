import type { Transporter } from "nodemailer";
import type { PrismaClient } from "@/lib/db/client";
import { createLog } from "@/lib/log/logger";
import { composeDocumentNotification, type TNotificationMail } from "./compose-document-notification";
import { composeEvacuationUrgentNotification, EVACUATION_URGENT_KIND } from "./evacuation-notifications";
import { composeEmergencyAccessNotification, EMERGENCY_ACCESS_KIND } from "./emergency-access-notifications";
import { composeProxyActionNotification } from "./proxy-action-notifications";

const log = createLog("notifications");

export type ProcessNotificationOutboxOptions = {
  /** A nodemailer transport (SMTP in the app, see smtp-transport.ts). */
  transport: Pick<Transporter, "sendMail">;
  /** RFC 5322 From of the mails (env MAIL_FROM). */
  from: string;
  /** Origin of the portal, for the inbox link (env PORTAL_ORIGIN). */
  portalOrigin: string;
  now?: Date;
  /** Rows handled per call (default 100). */
  limit?: number;
  /** Attempts before a row is given up as `dead` (default 8: about 2 hours of backoff). */
  maxAttempts?: number;
};

export type TProcessNotificationOutboxResult = { sent: number; skipped: number; retried: number; dead: number };

/** How long one claim holds a row: a sender that dies leaves it to be retried after this. */
const LEASE_MS = 5 * 60_000;

/** Exponential backoff after the n-th failed attempt: 30 s, 1 min, 2 min, … capped at 1 hour. */
export function notificationRetryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 60 * 60_000);
}

/**
 * Sends due notification e-mails from the outbox (after the delivering transaction committed).
 * Each row is claimed with a conditional update (its nextAttemptAt moves a lease ahead), so any
 * number of workers may run this at once without sending a mail twice in the normal case. An
 * SMTP failure keeps the row `pending` with a backoff; after `maxAttempts` it is `dead`.
 * The resident's choice is read now, not at delivery: opting out stops queued mails too.
 * A resident without an e-mail address, or who opted out of the type, is `skipped`.
 */
export async function processNotificationOutbox(
  prisma: PrismaClient,
  options: ProcessNotificationOutboxOptions,
): Promise<TProcessNotificationOutboxResult> {
  const now = options.now ?? new Date();
  const maxAttempts = options.maxAttempts ?? 8;
  const result: TProcessNotificationOutboxResult = { sent: 0, skipped: 0, retried: 0, dead: 0 };
  const due = await prisma.notificationOutbox.findMany({
    where: { status: "pending", nextAttemptAt: { lte: now } },
    orderBy: { nextAttemptAt: "asc" },
    take: options.limit ?? 100,
    select: {
      id: true,
      residentId: true,
      kind: true,
      proxyAction: true,
      documentType: true,
      issuerName: true,
      issuerNameEn: true,
      attempts: true,
      nextAttemptAt: true,
    },
  });
  for (const row of due) {
    const claimed = await prisma.notificationOutbox.updateMany({
      where: { id: row.id, status: "pending", nextAttemptAt: row.nextAttemptAt },
      data: { nextAttemptAt: new Date(now.getTime() + LEASE_MS) },
    });
    if (claimed.count !== 1) continue; // another worker has it
    const [resident, preference] = await Promise.all([
      prisma.resident.findUnique({ where: { id: row.residentId }, select: { email: true, leftAt: true } }),
      prisma.notificationPreference.findUnique({
        where: { residentId_documentType: { residentId: row.residentId, documentType: row.documentType } },
        select: { email: true },
      }),
    ]);
    const skip = !resident?.email
      ? "no e-mail address"
      : resident.leftAt
        ? "resident left"
        : preference?.email === false
          ? "opted out of this type"
          : undefined;
    if (skip || !resident?.email) {
      await prisma.notificationOutbox.update({
        where: { id: row.id },
        data: { status: "skipped", lastError: skip ?? "no e-mail address" },
      });
      result.skipped += 1;
      continue;
    }
    const mail = composeMail(row, options.portalOrigin);
    try {
      await options.transport.sendMail({
        from: options.from,
        to: resident.email,
        subject: mail.subject,
        text: mail.text,
      });
      await prisma.notificationOutbox.update({
        where: { id: row.id },
        data: { status: "sent", sentAt: new Date(), attempts: row.attempts + 1, lastError: null },
      });
      result.sent += 1;
    } catch (err) {
      const attempts = row.attempts + 1;
      const dead = attempts >= maxAttempts;
      await prisma.notificationOutbox.update({
        where: { id: row.id },
        data: {
          attempts,
          status: dead ? "dead" : "pending",
          nextAttemptAt: new Date(now.getTime() + notificationRetryDelayMs(attempts)),
          lastError: (err instanceof Error ? err.message : String(err)).slice(0, 1000),
        },
      });
      // The SMTP reply may quote the address: only its codes are logged (the outbox row keeps the text).
      const { code, responseCode } = (err ?? {}) as { code?: unknown; responseCode?: unknown };
      log.warn({ outboxId: row.id, attempts, dead, code, responseCode }, "notification e-mail not sent");
      if (dead) result.dead += 1;
      else result.retried += 1;
    }
  }
  return result;
}

/** The mail of one outbox row, by its kind (a document delivery unless said otherwise). */
function composeMail(
  row: { kind: string; documentType: string; issuerName: string; issuerNameEn: string; proxyAction: string | null },
  portalOrigin: string,
): TNotificationMail {
  switch (row.kind) {
    case "proxy_action":
      return composeProxyActionNotification({ proxyName: row.issuerName, action: row.proxyAction ?? "", portalOrigin });
    case EMERGENCY_ACCESS_KIND:
      return composeEmergencyAccessNotification({
        readerName: row.issuerName,
        readerNameEn: row.issuerNameEn,
        recipient: row.proxyAction ?? "self",
        portalOrigin,
      });
    case EVACUATION_URGENT_KIND:
      return composeEvacuationUrgentNotification({ ...row, portalOrigin });
    default:
      return composeDocumentNotification({ ...row, portalOrigin });
  }
}
