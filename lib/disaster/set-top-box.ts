import { randomBytes } from "node:crypto";
import { z } from "zod";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { TRequestMetadata } from "../audit/schemas";
import { AppError } from "../errors/app-error";
import { hashDeviceSecret } from "../platform/terminals/register-terminal-device";
import { type TDisasterContext, disasterNow } from "./context";

/**
 * Set-top boxes of a cable-TV operator (PartnerKind CATV_OPERATOR) as a hint of "probably at
 * home" during a disaster (at-home.ts). A box is a TerminalDevice of mode SET_TOP_BOX plus a
 * SetTopBox row tying it to one household; it reports POWER_ON / POWER_OFF / REMOTE with its
 * device token. Nothing is kept unless a current member of the household opted in; repeated
 * reports of the same activity within {@link HEARTBEAT_COALESCE_MS} are coalesced into one row;
 * rows older than the retention period are deleted by the housekeeping job.
 */

export const ZSetTopBoxActivity = z.enum(["POWER_ON", "POWER_OFF", "REMOTE"]);
export type TSetTopBoxActivity = z.infer<typeof ZSetTopBoxActivity>;

/** At most one row per box and activity per minute: a chatty remote does not write a row per keypress. */
export const HEARTBEAT_COALESCE_MS = 60_000;
/** How long heartbeats are kept by default (SET_TOP_BOX_HEARTBEAT_RETENTION_DAYS overrides it). */
export const DEFAULT_HEARTBEAT_RETENTION_DAYS = 14;

/** Device tokens are 32 random bytes, base64url (43 characters), like the kiosks'. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export type TSetTopBoxIdentity = { boxId: string; terminalId: string; householdId: string; label: string };

/**
 * Enrols (or re-enrols) a box of a CATV operator for a household and returns its device token.
 * Re-enrolling the same label replaces the token (a swapped box) and may move it to another
 * household. `token` is fixed only by the demo seed and tests.
 */
export async function enrolSetTopBox(
  ctx: TDisasterContext,
  o: { partner: string; label: string; householdId: string; token?: string },
): Promise<TSetTopBoxIdentity & { token: string }> {
  const label = z.string().trim().min(1).max(100).parse(o.label);
  if (o.token !== undefined && !TOKEN_PATTERN.test(o.token)) {
    throw new AppError("VALIDATION_FAILED", { message: "A box token is 43 base64url characters." });
  }
  const token = o.token ?? randomBytes(32).toString("base64url");
  const now = disasterNow(ctx);
  const isUuid = z.uuid().safeParse(o.partner).success;
  return ctx.prisma.$transaction(async (tx) => {
    const partner = await tx.partner.findFirst({
      where: isUuid ? { id: o.partner } : { slug: o.partner },
      select: { id: true, kind: true, active: true },
    });
    if (partner?.kind !== "CATV_OPERATOR" || !partner.active) {
      throw new AppError("SET_TOP_BOX_PARTNER_INVALID");
    }
    const fields = {
      mode: "SET_TOP_BOX" as const,
      tokenHash: hashDeviceSecret(token),
      enrolledAt: now,
      enrolmentCodeHash: null,
      enrolmentExpiresAt: null,
      active: true,
    };
    const device = await tx.terminalDevice.upsert({
      where: { partnerId_label: { partnerId: partner.id, label } },
      update: fields,
      create: { partnerId: partner.id, label, ...fields, createdAt: now },
      select: { id: true },
    });
    const box = await tx.setTopBox.upsert({
      where: { terminalId: device.id },
      update: { householdId: o.householdId },
      create: { terminalId: device.id, householdId: o.householdId, createdAt: now },
      select: { id: true },
    });
    return { boxId: box.id, terminalId: device.id, householdId: o.householdId, label, token };
  });
}

/** The box behind a device token: SET_TOP_BOX_UNKNOWN for no/unknown token, another kind of device or a disabled one. */
export async function authenticateSetTopBox(
  ctx: TDisasterContext,
  token: string | undefined | null,
): Promise<TSetTopBoxIdentity> {
  if (!token || !TOKEN_PATTERN.test(token)) throw new AppError("SET_TOP_BOX_UNKNOWN");
  const device = await ctx.prisma.terminalDevice.findUnique({
    where: { tokenHash: hashDeviceSecret(token) },
    select: {
      id: true,
      label: true,
      mode: true,
      active: true,
      partner: { select: { active: true, kind: true } },
      setTopBox: { select: { id: true, householdId: true } },
    },
  });
  if (
    device?.mode !== "SET_TOP_BOX" ||
    !device.active ||
    !device.partner.active ||
    device.partner.kind !== "CATV_OPERATOR" ||
    !device.setTopBox
  ) {
    throw new AppError("SET_TOP_BOX_UNKNOWN");
  }
  return {
    boxId: device.setTopBox.id,
    terminalId: device.id,
    householdId: device.setTopBox.householdId,
    label: device.label,
  };
}

export type THeartbeatOutcome =
  | { stored: true; at: Date }
  /** NO_CONSENT: no current member of the household opted in; COALESCED: the same activity within a minute. */
  | { stored: false; reason: "NO_CONSENT" | "COALESCED" };

/**
 * One activity report from a box (its device token). The time is the server's, never the box's.
 * Dropped without a trace when no current member of its household has an active opt-in; coalesced
 * when the box reported the same activity less than a minute ago. Serialised per box (row lock),
 * so concurrent keypresses cannot both slip past the coalescing check.
 */
export async function recordSetTopBoxHeartbeat(
  ctx: TDisasterContext,
  o: { token: string | undefined | null; activity: TSetTopBoxActivity },
): Promise<THeartbeatOutcome> {
  const activity = ZSetTopBoxActivity.parse(o.activity);
  const box = await authenticateSetTopBox(ctx, o.token);
  const now = disasterNow(ctx);
  return ctx.prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "SetTopBox" WHERE "id" = ${box.boxId}::uuid FOR UPDATE`;
    if (!(await householdConsents(tx, box.boxId, box.householdId))) return { stored: false, reason: "NO_CONSENT" };
    const recent = await tx.setTopBoxHeartbeat.findFirst({
      where: { boxId: box.boxId, activity, at: { gt: new Date(now.getTime() - HEARTBEAT_COALESCE_MS) } },
      select: { id: true },
    });
    if (recent) return { stored: false, reason: "COALESCED" };
    await tx.setTopBoxHeartbeat.create({ data: { boxId: box.boxId, activity, at: now } });
    await tx.terminalDevice.update({ where: { id: box.terminalId }, data: { lastSeenAt: now } });
    return { stored: true, at: now };
  });
}

type TTx = Parameters<Parameters<TDisasterContext["prisma"]["$transaction"]>[0]>[0];

/** Whether a current (not moved-out) member of the box's household has an active opt-in for it. */
async function householdConsents(tx: TTx, boxId: string, householdId: string, exceptResidentId?: string) {
  const n = await tx.setTopBoxOptIn.count({
    where: {
      boxId,
      withdrawnAt: null,
      resident: { householdId, leftAt: null, ...(exceptResidentId ? { id: { not: exceptResidentId } } : {}) },
    },
  });
  return n > 0;
}

/** Deletes heartbeats older than `keepDays` (housekeeping). Returns how many. */
export async function pruneSetTopBoxHeartbeats(ctx: TDisasterContext, o: { keepDays?: number } = {}): Promise<number> {
  const keepDays = o.keepDays ?? DEFAULT_HEARTBEAT_RETENTION_DAYS;
  const before = new Date(disasterNow(ctx).getTime() - keepDays * 86_400_000);
  return (await ctx.prisma.setTopBoxHeartbeat.deleteMany({ where: { at: { lt: before } } })).count;
}

export type TResidentSetTopBox = {
  boxId: string;
  label: string;
  operator: { name: string; nameEn: string };
  /** This resident's active opt-in, if any. */
  optedInAt: Date | null;
  /** Other current household members with an active opt-in. */
  othersOptedIn: number;
  /** The activity kept about the box (newest first, at most `recentLimit`). */
  recent: { activity: TSetTopBoxActivity; at: Date }[];
  /** How many rows are kept in all. */
  keptCount: number;
};

/** The boxes of the resident's household, with their opt-in and the recent activity kept. */
export async function listResidentSetTopBoxes(
  ctx: TDisasterContext,
  o: { residentId: string; recentLimit?: number },
): Promise<TResidentSetTopBox[]> {
  const resident = await ctx.prisma.resident.findUnique({
    where: { id: o.residentId },
    select: { householdId: true, leftAt: true },
  });
  if (!resident?.householdId || resident.leftAt) return [];
  const boxes = await ctx.prisma.setTopBox.findMany({
    where: { householdId: resident.householdId, terminal: { active: true } },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      terminal: { select: { label: true, partner: { select: { name: true, nameEn: true } } } },
      optIns: {
        where: { withdrawnAt: null, resident: { householdId: resident.householdId, leftAt: null } },
        select: { residentId: true, optedInAt: true },
      },
      heartbeats: { orderBy: { at: "desc" }, take: o.recentLimit ?? 20, select: { activity: true, at: true } },
      _count: { select: { heartbeats: true } },
    },
  });
  return boxes.map((b) => ({
    boxId: b.id,
    label: b.terminal.label,
    operator: b.terminal.partner,
    optedInAt: b.optIns.find((x) => x.residentId === o.residentId)?.optedInAt ?? null,
    othersOptedIn: new Set(b.optIns.filter((x) => x.residentId !== o.residentId).map((x) => x.residentId)).size,
    recent: b.heartbeats,
    keptCount: b._count.heartbeats,
  }));
}

type TOptInOptions = {
  residentId: string;
  boxId: string;
  requestMetadata?: TRequestMetadata;
  channel?: "pc" | "tv";
};

async function boxOfResidentsHousehold(tx: TTx, residentId: string, boxId: string) {
  if (!z.uuid().safeParse(boxId).success) throw new AppError("SET_TOP_BOX_NOT_IN_HOUSEHOLD");
  const [resident, box] = await Promise.all([
    tx.resident.findUnique({ where: { id: residentId }, select: { householdId: true, leftAt: true } }),
    tx.setTopBox.findUnique({ where: { id: boxId }, select: { id: true, householdId: true } }),
  ]);
  if (!resident?.householdId || resident.leftAt || !box || box.householdId !== resident.householdId) {
    throw new AppError("SET_TOP_BOX_NOT_IN_HOUSEHOLD");
  }
  return box;
}

/**
 * The resident agrees that their household's box may be used to estimate whether they are at home
 * in a disaster. Idempotent; a consent-ledger entry (the SetTopBoxOptIn row) and an audit event.
 */
export async function optInSetTopBox(ctx: TDisasterContext, o: TOptInOptions): Promise<{ changed: boolean }> {
  const now = disasterNow(ctx);
  return ctx.prisma.$transaction(async (tx) => {
    const box = await boxOfResidentsHousehold(tx, o.residentId, o.boxId);
    const active = await tx.setTopBoxOptIn.findFirst({
      where: { boxId: box.id, residentId: o.residentId, withdrawnAt: null },
      select: { id: true },
    });
    if (active) return { changed: false };
    await tx.setTopBoxOptIn.create({ data: { boxId: box.id, residentId: o.residentId, optedInAt: now } });
    await appendAuditEvent(tx, {
      type: "set_top_box.opted_in",
      actor: { type: "resident", id: o.residentId },
      subjectResidentId: o.residentId,
      purpose: "災害時の在宅推定（テレビ端末の操作記録）への同意",
      channel: o.channel ?? "pc",
      requestMetadata: o.requestMetadata,
      data: { boxId: box.id },
    });
    return { changed: true };
  });
}

/**
 * The resident withdraws. When no other current household member still consents, every heartbeat
 * kept about the box is deleted at once (not at the end of the retention period).
 */
export async function withdrawSetTopBox(
  ctx: TDisasterContext,
  o: TOptInOptions,
): Promise<{ changed: boolean; deletedHeartbeats: number }> {
  const now = disasterNow(ctx);
  return ctx.prisma.$transaction(async (tx) => {
    const box = await boxOfResidentsHousehold(tx, o.residentId, o.boxId);
    await tx.$queryRaw`SELECT "id" FROM "SetTopBox" WHERE "id" = ${box.id}::uuid FOR UPDATE`;
    const { count } = await tx.setTopBoxOptIn.updateMany({
      where: { boxId: box.id, residentId: o.residentId, withdrawnAt: null },
      data: { withdrawnAt: now },
    });
    let deletedHeartbeats = 0;
    if (!(await householdConsents(tx, box.id, box.householdId, o.residentId))) {
      deletedHeartbeats = (await tx.setTopBoxHeartbeat.deleteMany({ where: { boxId: box.id } })).count;
    }
    if (count > 0) {
      await appendAuditEvent(tx, {
        type: "set_top_box.withdrawn",
        actor: { type: "resident", id: o.residentId },
        subjectResidentId: o.residentId,
        purpose: "災害時の在宅推定（テレビ端末の操作記録）への同意の撤回",
        channel: o.channel ?? "pc",
        requestMetadata: o.requestMetadata,
        data: { boxId: box.id, deletedHeartbeats },
      });
    }
    return { changed: count > 0, deletedHeartbeats };
  });
}
