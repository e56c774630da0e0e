import { z } from "zod";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { TRequestMetadata } from "@/lib/audit/schemas";
import { AppError } from "@/lib/errors/app-error";
import type { TResidentsContext } from "./residents-context";
import type { TRegistryChangeResult } from "@/lib/jlis/client";
import { IDENTITY_DOCUMENT_LABELS, ZCardIssue, ZPinUnlock } from "./schemas";
import { assertRole, REGISTRY_ROLES, SUPERVISOR_ROLES, type TRegistryStaff } from "./staff-roles";

export type TPinUnlockResult = { slot: "auth" | "sign"; triesLeft: number };

const SLOT_LABELS = { auth: "利用者証明用電子証明書", sign: "署名用電子証明書" } as const;

/**
 * 暗証番号のロック解除 at the card counter (窓口): the holder brought their card whose auth or
 * signing PIN is locked; staff checked their identity (the document checked is recorded), and
 * J-LIS's counter system resets that PIN's try counter on the card through `lib/jlis`
 * (`unlockCardPin`). The PIN itself and the keys stay. Any registry role (CLERK+): it hands
 * nothing new to anyone, the holder and the card are at the counter.
 *
 * J-LIS first, then the audit `resident.card_event` `{ kind: "pin_unlocked", slot,
 * identityDocument, … }` (a line of the resident's access log, with the purpose); a J-LIS failure
 * writes nothing. COUNTER_PIN_NOT_LOCKED when the PIN has tries left, COUNTER_CARD_NOT_FOUND when
 * J-LIS knows no card of the resident (or it is not at the counter), JLIS_CERT_NOT_ACTIVE for a
 * revoked card, NOT_FOUND for an unknown, sandbox or departed resident.
 */
export async function unlockCardPin(
  ctx: TResidentsContext,
  o: { staff: TRegistryStaff; residentId: string; input: unknown; requestMetadata?: TRequestMetadata },
): Promise<TPinUnlockResult> {
  assertRole(o.staff, REGISTRY_ROLES);
  const input = ZPinUnlock.parse(o.input);
  if (!z.uuid().safeParse(o.residentId).success) throw new AppError("NOT_FOUND");
  const r = await ctx.prisma.resident.findFirst({
    where: { id: o.residentId, sandbox: false, leftAt: null },
    select: { id: true, registryNumber: true },
  });
  if (!r) throw new AppError("NOT_FOUND");

  const answer = await ctx.jlis.unlockCardPin({ residentRef: r.registryNumber, slot: input.slot });

  await ctx.prisma.$transaction(async (tx) => {
    await appendAuditEvent(tx, {
      type: "resident.card_event",
      actor: { type: "staff", id: o.staff.staffId },
      subjectResidentId: r.id,
      purpose: `マイナンバーカードの暗証番号のロック解除（${SLOT_LABELS[input.slot]}）`,
      channel: "console",
      requestMetadata: o.requestMetadata,
      data: {
        kind: "pin_unlocked",
        slot: input.slot,
        identityDocument: input.identityDocument,
        identityDocumentLabel: IDENTITY_DOCUMENT_LABELS[input.identityDocument],
        ...(input.note ? { note: input.note } : {}),
        jlis: { triesLeft: answer.triesLeft },
      },
    });
  });
  return { slot: answer.slot, triesLeft: answer.triesLeft };
}

export type TCardIssueResult = {
  authSerial: string;
  signSerial: string | null;
  revoked: TRegistryChangeResult["revoked"];
};

const GENDERS = { MALE: "male", FEMALE: "female", UNKNOWN: "unknown" } as const;

/**
 * 交付 at the card counter (SUPERVISOR/ADMIN: a new card carries the resident's identity, so a
 * second pair of eyes, as for the other acts that end certificates): after the identity check
 * (the document checked is recorded), J-LIS's counter system writes a new card with the four
 * facts of the registry record (`lib/jlis` `issueCardAtCounter`) and revokes the previous card's
 * certificates (`superseded` and linked old → new; `cessationOfOperation` when J-LIS held other
 * facts). The initial PINs are printed by the counter on a one-time slip for the resident: staff
 * never see, ask or type them. The new card is bound to the record on its first login, as usual.
 *
 * J-LIS first, then the audit `resident.card_event` `{ kind: "card_issued", identityDocument, …,
 * jlis: { authSerial, signSerial, revoked } }`; a J-LIS failure writes nothing. NOT_FOUND for an
 * unknown, sandbox or departed resident.
 */
export async function issueCardAtCounter(
  ctx: TResidentsContext,
  o: { staff: TRegistryStaff; residentId: string; input: unknown; requestMetadata?: TRequestMetadata },
): Promise<TCardIssueResult> {
  assertRole(o.staff, SUPERVISOR_ROLES);
  const input = ZCardIssue.parse(o.input);
  if (!z.uuid().safeParse(o.residentId).success) throw new AppError("NOT_FOUND");
  const r = await ctx.prisma.resident.findFirst({
    where: { id: o.residentId, sandbox: false, leftAt: null },
    select: {
      id: true,
      registryNumber: true,
      familyName: true,
      givenName: true,
      address: true,
      dateOfBirth: true,
      gender: true,
    },
  });
  if (!r) throw new AppError("NOT_FOUND");

  const answer = await ctx.jlis.issueCardAtCounter({
    residentRef: r.registryNumber,
    facts: {
      name: `${r.familyName}\u3000${r.givenName}`,
      address: r.address,
      dateOfBirth: r.dateOfBirth.toISOString().slice(0, 10),
      gender: GENDERS[r.gender],
    },
    // The registry number's first five digits are the municipality's code.
    municipalityCode: r.registryNumber.slice(0, 5),
    displayName: `${r.familyName} ${r.givenName}`,
  });

  await ctx.prisma.$transaction(async (tx) => {
    await appendAuditEvent(tx, {
      type: "resident.card_event",
      actor: { type: "staff", id: o.staff.staffId },
      subjectResidentId: r.id,
      purpose: "マイナンバーカードの交付",
      channel: "console",
      requestMetadata: o.requestMetadata,
      data: {
        kind: "card_issued",
        identityDocument: input.identityDocument,
        identityDocumentLabel: IDENTITY_DOCUMENT_LABELS[input.identityDocument],
        ...(input.note ? { note: input.note } : {}),
        jlis: {
          authSerial: answer.authSerial,
          signSerial: answer.signSerial,
          revoked: answer.revoked.map((x) => ({ serialNumber: x.serialHex, purpose: x.purpose, reason: x.reason })),
        },
      },
    });
  });
  return answer;
}
