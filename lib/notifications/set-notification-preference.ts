import { z } from "zod";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { TAuditChannel, TRequestMetadata } from "@/lib/audit/schemas";
import type { PrismaClient } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { findDocumentType, listDocumentTypes } from "@/lib/mailbox/document-types/registry";
import { PROXY_ACTIONS_PREFERENCE, PROXY_ACTIONS_PREFERENCE_TITLE } from "./proxy-action-notifications";

export const ZSetNotificationPreference = z.strictObject({
  documentType: z.string().min(1).max(100),
  email: z.boolean(),
});

/** One row of the resident's notification settings: every document type, on unless turned off. */
export type TNotificationPreference = { documentType: string; title: { ja: string; en: string }; email: boolean };

/** The resident's e-mail choice for every known document type and for proxy actions (default on). */
export async function listNotificationPreferences(
  prisma: PrismaClient,
  residentId: string,
): Promise<TNotificationPreference[]> {
  const rows = await prisma.notificationPreference.findMany({
    where: { residentId },
    select: { documentType: true, email: true },
  });
  const off = new Map(rows.map((r) => [r.documentType, r.email]));
  return [
    ...listDocumentTypes().map((t) => ({ documentType: t.id, title: t.title, email: off.get(t.id) ?? true })),
    {
      documentType: PROXY_ACTIONS_PREFERENCE,
      title: { ...PROXY_ACTIONS_PREFERENCE_TITLE },
      email: off.get(PROXY_ACTIONS_PREFERENCE) ?? true,
    },
  ];
}

/**
 * Turns the "document arrived" e-mail for one document type on or off, and records the change
 * in the audit log (`notification.preference_changed`). Unknown types are DOCUMENT_TYPE_UNKNOWN.
 */
export async function setNotificationPreference(
  prisma: PrismaClient,
  options: {
    residentId: string;
    input: unknown;
    channel: TAuditChannel;
    requestMetadata?: TRequestMetadata;
  },
): Promise<void> {
  const input = ZSetNotificationPreference.parse(options.input);
  if (input.documentType !== PROXY_ACTIONS_PREFERENCE && !findDocumentType(input.documentType)) {
    throw new AppError("DOCUMENT_TYPE_UNKNOWN", { details: { type: input.documentType } });
  }
  await prisma.$transaction(async (tx) => {
    await tx.notificationPreference.upsert({
      where: { residentId_documentType: { residentId: options.residentId, documentType: input.documentType } },
      create: { residentId: options.residentId, documentType: input.documentType, email: input.email },
      update: { email: input.email },
    });
    await appendAuditEvent(tx, {
      type: "notification.preference_changed",
      actor: { type: "resident", id: options.residentId },
      subjectResidentId: options.residentId,
      purpose: "通知設定の変更",
      channel: options.channel,
      requestMetadata: options.requestMetadata,
      data: { documentType: input.documentType, email: input.email },
    });
  });
}
