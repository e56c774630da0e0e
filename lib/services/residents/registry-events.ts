import { randomInt } from "node:crypto";
import { z } from "zod";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { TRequestMetadata } from "@/lib/audit/schemas";
import type { Prisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import type { TRegistryChangeResult } from "@/lib/jlis/client";
import type { TResidentsContext } from "./residents-context";
import { type TRegistryEventInput, ZMoveIn, ZRegistryEvent } from "./schemas";
import { assertRole, REGISTRY_ROLES, SUPERVISOR_ROLES, type TRegistryStaff } from "./staff-roles";

/** What a registry event did: the record(s) written and what J-LIS revoked and linked. */
export type TRegistryEventResult = {
  kind: TRegistryEventInput["kind"] | "move_in";
  /** The new resident of a birth or a move in. */
  newResidentId?: string;
  revoked: TRegistryChangeResult["revoked"];
  successorSignSerial: string | null;
};

const PURPOSES: Record<TRegistryEventResult["kind"], string> = {
  birth: "出生届の受理",
  move_in: "転入届の受理",
  move_out: "転出届の受理",
  death: "死亡届の受理",
  change_name: "氏名の変更の届出の受理",
  card_lost: "マイナンバーカードの紛失の届出",
  card_revoked: "マイナンバーカードの電子証明書の失効（返納・廃止）",
};

/**
 * Roles per event: a death closes the record and ends every certificate, and revoking a working
 * card ends the holder's certificates without a notification of theirs to point to: a supervisor
 * records both. A lost card is revoked by any clerk at once (speed protects the holder).
 */
function rolesOf(kind: TRegistryEventInput["kind"]): readonly string[] {
  return kind === "death" || kind === "card_revoked" ? SUPERVISOR_ROLES : REGISTRY_ROLES;
}

/** The four-facts name as a signing certificate carries it (an ideographic space between). */
const certificateName = (family: string, given: string) => `${family}\u3000${given}`;

/** A fresh registry number in the municipality's series (the first five digits). */
async function newRegistryNumber(tx: Prisma.TransactionClient, municipalityPrefix: string): Promise<string> {
  for (;;) {
    const candidate = `${municipalityPrefix}${String(randomInt(0, 1_000_000)).padStart(6, "0")}`;
    if (!(await tx.resident.findUnique({ where: { registryNumber: candidate }, select: { id: true } }))) {
      return candidate;
    }
  }
}

/**
 * Staff record a registry event on a resident's record; every event is audited
 * `resident.registry_event` (a lost card `resident.card_event`) with its reason, and J-LIS hears
 * of what ends or changes certificates through `lib/jlis` (the 転居届 approval's path):
 *
 * - `birth`: a new resident in the parent's household, at its address; no card, so no J-LIS;
 * - `move_out` (転出): leftAt; J-LIS revokes the signing certificates `affiliationChanged`;
 * - `death` (SUPERVISOR/ADMIN): leftAt; J-LIS revokes both (sign `affiliationChanged`, auth
 *   `cessationOfOperation`);
 * - `change_name`: the name and its kana change; J-LIS revokes the signing certificate
 *   `affiliationChanged`, re-issues one for the card and links it as successor (as a move does);
 * - `card_lost`: J-LIS revokes both certificates of the card `keyCompromise`;
 * - `card_revoked` (SUPERVISOR/ADMIN; the card returned or ended): J-LIS revokes both
 *   certificates of the card `cessationOfOperation`.
 *
 * J-LIS is told first (its reports are idempotent), then the registry is written in one
 * transaction: a J-LIS failure (CERT_STATUS_UNAVAILABLE) writes nothing and can be retried.
 * REGISTRY_EVENT_NOT_APPLICABLE for a resident who already left, or a name that does not change.
 */
export async function recordRegistryEvent(
  ctx: TResidentsContext,
  o: { staff: TRegistryStaff; residentId: string; input: unknown; requestMetadata?: TRequestMetadata },
): Promise<TRegistryEventResult> {
  assertRole(o.staff, REGISTRY_ROLES);
  const input = ZRegistryEvent.parse(o.input);
  assertRole(o.staff, rolesOf(input.kind));
  if (!z.uuid().safeParse(o.residentId).success) throw new AppError("NOT_FOUND");
  const r = await ctx.prisma.resident.findFirst({
    where: { id: o.residentId, sandbox: false },
    select: {
      id: true,
      registryNumber: true,
      familyName: true,
      givenName: true,
      familyNameKana: true,
      givenNameKana: true,
      leftAt: true,
      householdId: true,
      address: true,
      postalCode: true,
      districtId: true,
      language: true,
    },
  });
  if (!r) throw new AppError("NOT_FOUND");
  if (r.leftAt) throw new AppError("REGISTRY_EVENT_NOT_APPLICABLE", { message: "The resident has left the registry." });
  if (
    input.kind === "change_name" &&
    input.familyName === r.familyName &&
    input.givenName === r.givenName &&
    input.familyNameKana === r.familyNameKana &&
    input.givenNameKana === r.givenNameKana
  ) {
    throw new AppError("REGISTRY_EVENT_NOT_APPLICABLE", { message: "The name does not change." });
  }

  // J-LIS first: each report is idempotent, so a failure after it is repaired by recording again.
  let revoked: TRegistryChangeResult["revoked"] = [];
  let successorSignSerial: string | null = null;
  if (
    input.kind === "move_out" ||
    input.kind === "death" ||
    input.kind === "card_lost" ||
    input.kind === "card_revoked"
  ) {
    const event = (
      { move_out: "moved_out", death: "died", card_lost: "card_lost", card_revoked: "card_returned" } as const
    )[input.kind];
    const answer = await ctx.jlis.reportRegistryEvent({ residentRef: r.registryNumber, event });
    revoked = answer?.revoked ?? [];
  } else if (input.kind === "change_name") {
    const answer = await ctx.jlis.reportRegistryChange({
      residentRef: r.registryNumber,
      facts: { name: certificateName(input.familyName, input.givenName) },
    });
    revoked = answer?.revoked ?? [];
    successorSignSerial = answer?.successorSignSerial ?? null;
  }
  const jlisData = {
    revoked: revoked.map((x) => ({ serialNumber: x.serialHex, purpose: x.purpose, reason: x.reason })),
    ...(successorSignSerial ? { successorSignSerial } : {}),
  };

  return ctx.prisma.$transaction(async (tx) => {
    let newResidentId: string | undefined;
    let subject = r.id;
    if (input.kind === "move_out" || input.kind === "death") {
      const { count } = await tx.resident.updateMany({
        where: { id: r.id, leftAt: null },
        data: {
          leftAt: new Date(`${input.date}T00:00:00+09:00`),
          leftReason: input.kind === "death" ? "死亡" : "転出",
        },
      });
      if (count !== 1) throw new AppError("REGISTRY_EVENT_NOT_APPLICABLE");
    } else if (input.kind === "change_name") {
      await tx.resident.update({
        where: { id: r.id },
        data: {
          familyName: input.familyName,
          givenName: input.givenName,
          familyNameKana: input.familyNameKana,
          givenNameKana: input.givenNameKana,
        },
      });
    } else if (input.kind === "birth") {
      const child = await tx.resident.create({
        data: {
          registryNumber: await newRegistryNumber(tx, r.registryNumber.slice(0, 5)),
          ...input.child,
          dateOfBirth: new Date(`${input.child.dateOfBirth}T00:00:00Z`),
          address: r.address,
          postalCode: r.postalCode,
          districtId: r.districtId,
          householdId: r.householdId,
          language: r.language,
        },
        select: { id: true },
      });
      newResidentId = child.id;
      subject = child.id;
    }
    await appendAuditEvent(tx, {
      type:
        input.kind === "card_lost" || input.kind === "card_revoked" ? "resident.card_event" : "resident.registry_event",
      actor: { type: "staff", id: o.staff.staffId },
      subjectResidentId: subject,
      purpose: PURPOSES[input.kind],
      channel: "console",
      requestMetadata: o.requestMetadata,
      data: {
        event: input.kind,
        reason: input.reason,
        ...(input.kind === "birth" ? { parentResidentId: r.id } : {}),
        ...(input.kind === "move_out" || input.kind === "death" ? { date: input.date } : {}),
        ...(input.kind === "change_name" ? { fields: ["name", "nameKana"] } : {}),
        jlis: jlisData,
      },
    });
    return { kind: input.kind, ...(newResidentId ? { newResidentId } : {}), revoked, successorSignSerial };
  });
}

/**
 * A move in (転入): a new resident with a household of their own at the address. They have no
 * card known under this registry number yet, so J-LIS is not told. Audited
 * `resident.registry_event`.
 */
export async function registerMoveIn(
  ctx: TResidentsContext,
  o: { staff: TRegistryStaff; input: unknown; requestMetadata?: TRequestMetadata },
): Promise<TRegistryEventResult> {
  assertRole(o.staff, REGISTRY_ROLES);
  const input = ZMoveIn.parse(o.input);
  return ctx.prisma.$transaction(async (tx) => {
    const district = await tx.district.findUnique({ where: { code: input.districtCode }, select: { id: true } });
    if (!district) {
      throw new AppError("VALIDATION_FAILED", { details: [{ path: "districtCode", message: "unknown district" }] });
    }
    const registryNumber = await newRegistryNumber(tx, input.districtCode.slice(0, 5));
    const household = await tx.household.create({
      data: {
        code: `${input.districtCode}-I${registryNumber.slice(-6)}`,
        districtId: district.id,
        address: input.address,
      },
      select: { id: true },
    });
    const created = await tx.resident.create({
      data: {
        registryNumber,
        ...input.person,
        dateOfBirth: new Date(`${input.person.dateOfBirth}T00:00:00Z`),
        address: input.address,
        postalCode: input.postalCode,
        districtId: district.id,
        householdId: household.id,
      },
      select: { id: true },
    });
    await appendAuditEvent(tx, {
      type: "resident.registry_event",
      actor: { type: "staff", id: o.staff.staffId },
      subjectResidentId: created.id,
      purpose: PURPOSES.move_in,
      channel: "console",
      requestMetadata: o.requestMetadata,
      data: { event: "move_in", reason: input.reason, jlis: { revoked: [] } },
    });
    return { kind: "move_in", newResidentId: created.id, revoked: [], successorSignSerial: null };
  });
}
