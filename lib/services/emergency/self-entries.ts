import { appendAuditEvent } from "../../audit/append-audit-event";
import type { TAuditChannel, TRequestMetadata } from "../../audit/schemas";
import type { PrismaClient } from "../../db/client";
import { AppError } from "../../errors/app-error";
import { type TSelfEntryInput, ZSelfEntryInput } from "./schemas";

/** A resident may keep this many self-reported lines (all kinds together). */
export const MAX_SELF_ENTRIES = 60;

type TWriteOptions = { residentId: string; channel: TAuditChannel; requestMetadata?: TRequestMetadata; now?: Date };

/**
 * Adds a self-reported line (allergy, condition, medication, emergency contact) for the
 * resident: unsigned, shown on terminals marked as entered by the resident. Audited
 * (`emergency.self_entry_changed`, kind only, never the text).
 */
export async function addSelfEntry(
  prisma: PrismaClient,
  options: TWriteOptions & { input: TSelfEntryInput },
): Promise<{ id: string }> {
  const input = ZSelfEntryInput.parse(options.input);
  return prisma.$transaction(async (tx) => {
    const count = await tx.emergencySelfEntry.count({ where: { residentId: options.residentId, removedAt: null } });
    if (count >= MAX_SELF_ENTRIES) {
      throw new AppError("VALIDATION_FAILED", { message: `At most ${MAX_SELF_ENTRIES} entries.` });
    }
    const row = await tx.emergencySelfEntry.create({
      data: {
        residentId: options.residentId,
        kind: input.kind,
        text: input.text,
        detail: input.detail ?? null,
        createdAt: options.now ?? new Date(),
      },
      select: { id: true },
    });
    await appendAuditEvent(tx, {
      type: "emergency.self_entry_changed",
      actor: { type: "resident", id: options.residentId },
      subjectResidentId: options.residentId,
      purpose: "救急医療情報（自己申告）の登録",
      channel: options.channel,
      requestMetadata: options.requestMetadata,
      data: { action: "added", kind: input.kind, entryId: row.id },
    });
    return row;
  });
}

/** Removes one of the resident's own lines (kept with removedAt); someone else's or unknown → NOT_FOUND. */
export async function removeSelfEntry(
  prisma: PrismaClient,
  options: TWriteOptions & { entryId: string },
): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const { count } = await tx.emergencySelfEntry.updateMany({
      where: { id: options.entryId, residentId: options.residentId, removedAt: null },
      data: { removedAt: options.now ?? new Date() },
    });
    if (count !== 1) throw new AppError("NOT_FOUND");
    await appendAuditEvent(tx, {
      type: "emergency.self_entry_changed",
      actor: { type: "resident", id: options.residentId },
      subjectResidentId: options.residentId,
      purpose: "救急医療情報（自己申告）の削除",
      channel: options.channel,
      requestMetadata: options.requestMetadata,
      data: { action: "removed", entryId: options.entryId },
    });
  });
}
