import type { PrismaClient } from "../../db/client";
import type { TCredentialMode } from "../../credential-mode/credential-mode";
import { AppError } from "../../errors/app-error";
import type { TRosterEntry } from "./insurer-roster";
import { type TInsuranceMemberDto, ZMemberNumber, ZPutInsuranceMemberRequest } from "./schemas";

export type PutInsuranceMemberOptions = {
  /** The insurer (a HEALTH_INSURER partner) and its credential's mode. */
  insurer: { partnerId: string; mode: TCredentialMode };
  memberNumber: unknown;
  request: unknown;
  now?: Date;
};

const dateOnly = (s: string) => new Date(`${s}T00:00:00Z`);

/** A roster entry (insurer-roster.ts) with the key it is stored under. */
type TRow = TRosterEntry & { memberNumber: string; mode: TCredentialMode };

export function insuranceMemberDto(row: TRow): TInsuranceMemberDto {
  return {
    object: "insurance_member",
    memberNumber: row.memberNumber,
    mode: row.mode,
    status: row.status === "VALID" ? "valid" : "lapsed",
    insurerNumber: row.insurerNumber,
    symbol: row.symbol,
    number: row.number,
    ...(row.branch ? { branch: row.branch } : {}),
    validFrom: row.validFrom.toISOString().slice(0, 10),
    ...(row.validUntil ? { validUntil: row.validUntil.toISOString().slice(0, 10) } : {}),
    copayRatio: row.copayTenths,
    confirmedAt: row.confirmedAt.toISOString(),
  };
}

/**
 * The insurer states one member's status now (create or replace; idempotent). Every call, changed
 * or not, refreshes `confirmedAt`: an insurer that stops confirming its roster makes reception
 * answer "unknown" after the freshness window rather than repeat an old "valid". The entry lives
 * under the credential's mode (TEST: sandbox; LIVE: real), so a TEST key can never make a real
 * patient look insured. Only HEALTH_INSURER partners keep a roster (FORBIDDEN otherwise).
 */
export async function putInsuranceMember(
  prisma: PrismaClient,
  o: PutInsuranceMemberOptions,
): Promise<{ member: TInsuranceMemberDto; created: boolean }> {
  const memberNumber = ZMemberNumber.parse(o.memberNumber);
  const input = ZPutInsuranceMemberRequest.parse(o.request);
  const partner = await prisma.partner.findUnique({ where: { id: o.insurer.partnerId }, select: { kind: true } });
  if (partner?.kind !== "HEALTH_INSURER") {
    throw new AppError("FORBIDDEN", { message: "Only a health insurer keeps an insurance roster." });
  }
  const data = {
    status: input.status === "valid" ? ("VALID" as const) : ("LAPSED" as const),
    insurerNumber: input.insurerNumber,
    symbol: input.symbol,
    number: input.number,
    branch: input.branch ?? null,
    validFrom: dateOnly(input.validFrom),
    validUntil: input.validUntil ? dateOnly(input.validUntil) : null,
    copayTenths: input.copayRatio,
    confirmedAt: o.now ?? new Date(),
  };
  const key = { insurerId: o.insurer.partnerId, mode: o.insurer.mode, memberNumber };
  const before = await prisma.insuranceMember.findUnique({
    where: { insurerId_mode_memberNumber: key },
    select: { id: true },
  });
  const row = await prisma.insuranceMember.upsert({
    where: { insurerId_mode_memberNumber: key },
    create: { ...key, ...data },
    update: data,
  });
  return { member: insuranceMemberDto(row), created: !before };
}
