import type { Prisma } from "@/lib/db/client";
import type { TNotificationMail } from "./compose-document-notification";

/**
 * E-mail after a break-glass read of a resident's emergency medical history
 * (lib/services/emergency): to the resident ("self") and to their registered family
 * ("family": household members and proxies). It names the reader (the ambulance service or
 * hospital) and never the history, the reason text or, for family, the patient: the mail is not a
 * safe channel, and the resident notice on the portal says the rest. Queued in the break-glass
 * transaction (the same outbox as document mails), sent by processNotificationOutbox.
 */

/** The NotificationPreference key of these mails (beside the document type ids). */
export const EMERGENCY_ACCESS_PREFERENCE = "emergency-access";
/** NotificationOutbox.kind of these mails. */
export const EMERGENCY_ACCESS_KIND = "emergency_access";

/** Queues one mail inside the caller's transaction; `proxyAction` holds who it is for. */
export async function enqueueEmergencyAccessNotification(
  tx: Prisma.TransactionClient,
  input: { residentId: string; readerName: string; readerNameEn: string; recipient: "self" | "family"; now: Date },
): Promise<void> {
  await tx.notificationOutbox.create({
    data: {
      residentId: input.residentId,
      kind: EMERGENCY_ACCESS_KIND,
      documentType: EMERGENCY_ACCESS_PREFERENCE,
      issuerName: input.readerName,
      issuerNameEn: input.readerNameEn,
      proxyAction: input.recipient,
      createdAt: input.now,
      nextAttemptAt: input.now,
    },
    select: { id: true },
  });
}

/** The mail text: who read, that it was a break-glass read, where to look; Japanese, then English. */
export function composeEmergencyAccessNotification(input: {
  readerName: string;
  readerNameEn: string;
  recipient: string;
  portalOrigin: string;
}): TNotificationMail {
  const family = input.recipient === "family";
  const page = new URL(family ? "/mailbox" : "/settings/access-log", input.portalOrigin).toString();
  const whoJa = family ? "ご家族" : "あなた";
  const whoEn = family ? "a member of your family" : "you";
  return {
    subject: `【ichimai】${input.readerName}が${whoJa}の救急医療情報を緊急閲覧しました`,
    text: [
      `${input.readerName} が、本人の暗証番号なしで（緊急閲覧）${whoJa}の救急医療情報を閲覧しました。`,
      "本人が応答できない救急の場面で、理由を記録したうえで30分間だけ認められる閲覧です。",
      "",
      "閲覧した内容や理由はこのメールには記載していません。マイナンバーカードでログインしてご確認ください。",
      page,
      "",
      "---",
      `${input.readerNameEn || input.readerName} read the emergency medical history of ${whoEn} without the PIN (break-glass).`,
      "This is allowed for 30 minutes, with a recorded reason, when the patient cannot answer.",
      "Log in with your My Number Card to see the details.",
      page,
    ].join("\n"),
  };
}
