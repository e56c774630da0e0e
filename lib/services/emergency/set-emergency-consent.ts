import { appendAuditEvent } from "../../audit/append-audit-event";
import type { TAuditChannel, TRequestMetadata } from "../../audit/schemas";
import type { Prisma, PrismaClient } from "../../db/client";
import {
  EMERGENCY_PARTS,
  type TEmergencyAudience,
  type TEmergencyConsentInput,
  ZEmergencyAudience,
  ZEmergencyConsentInput,
} from "./schemas";

export type SetEmergencyConsentOptions = {
  residentId: string;
  input: TEmergencyConsentInput;
  channel: TAuditChannel;
  requestMetadata?: TRequestMetadata;
  now?: Date;
};

/** The active consent of a resident for an audience (none: never chosen, or withdrawn). */
export async function activeEmergencyConsent(
  tx: Prisma.TransactionClient | PrismaClient,
  o: { residentId: string; audience: TEmergencyAudience },
): Promise<{ id: string; parts: string[]; breakGlass: boolean; grantedAt: Date } | null> {
  return tx.emergencyConsent.findFirst({
    where: { residentId: o.residentId, audience: o.audience, revokedAt: null },
    select: { id: true, parts: true, breakGlass: true, grantedAt: true },
  });
}

/**
 * The resident's choice for one audience (ambulance crews, other hospitals), in the consent
 * ledger: which parts a tap with the PIN shows, and whether a break-glass read is allowed (no
 * parts and no break-glass is an explicit refusal, kept as a row). The active row is revoked and
 * a new one added in one transaction, audited as `consent.given`. A choice equal to the active
 * one writes nothing. Parts are stored in their canonical order.
 */
export async function setEmergencyConsent(
  prisma: PrismaClient,
  options: SetEmergencyConsentOptions,
): Promise<{ changed: boolean }> {
  const input = ZEmergencyConsentInput.parse(options.input);
  const parts = EMERGENCY_PARTS.filter((p) => input.parts.includes(p));
  return change(prisma, { ...options, audience: input.audience, next: { parts, breakGlass: input.breakGlass } });
}

/**
 * Withdraws the resident's choice for an audience (`consent.revoked`): a tap with the PIN reads
 * nothing any more; a break-glass read falls back to the vital parts (BREAK_GLASS_DEFAULT_PARTS),
 * as for a resident who never chose (refusing break-glass is a choice, not a withdrawal).
 */
export function revokeEmergencyConsent(
  prisma: PrismaClient,
  options: Omit<SetEmergencyConsentOptions, "input"> & { audience: TEmergencyAudience },
): Promise<{ changed: boolean }> {
  return change(prisma, { ...options, audience: ZEmergencyAudience.parse(options.audience), next: null });
}

async function change(
  prisma: PrismaClient,
  o: Omit<SetEmergencyConsentOptions, "input"> & {
    audience: TEmergencyAudience;
    next: { parts: string[]; breakGlass: boolean } | null;
  },
): Promise<{ changed: boolean }> {
  const now = o.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    // One writer per resident at a time (the partial unique index backs this up).
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`emergency-consent:${o.residentId}`}))`;
    const active = await activeEmergencyConsent(tx, { residentId: o.residentId, audience: o.audience });
    if (!active && !o.next) return { changed: false };
    if (active && o.next && active.breakGlass === o.next.breakGlass && active.parts.join() === o.next.parts.join()) {
      return { changed: false };
    }
    if (active) await tx.emergencyConsent.update({ where: { id: active.id }, data: { revokedAt: now } });
    if (o.next) {
      await tx.emergencyConsent.create({
        data: { residentId: o.residentId, audience: o.audience, ...o.next, grantedAt: now },
      });
    }
    await appendAuditEvent(tx, {
      type: o.next ? "consent.given" : "consent.revoked",
      actor: { type: "resident", id: o.residentId },
      subjectResidentId: o.residentId,
      purpose: o.audience === "AMBULANCE" ? "救急隊による救急医療情報の閲覧" : "他の医療機関による救急医療情報の閲覧",
      channel: o.channel,
      requestMetadata: o.requestMetadata,
      data: { consent: "emergency_history", audience: o.audience, ...(o.next ?? { parts: [], breakGlass: null }) },
    });
    return { changed: true };
  });
}
