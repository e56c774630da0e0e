import { randomBytes } from "node:crypto";
import { z } from "zod";
import { appendAuditEvent } from "../../audit/append-audit-event";
import type { TRequestMetadata } from "../../audit/schemas";
import { sha256Hex } from "../../crypto/sha256";
import type { Prisma } from "../../db/client";
import { AppError } from "../../errors/app-error";
import { enqueueEmergencyAccessNotification } from "../../notifications/emergency-access-notifications";
import { nowOf, type TPlatformContext } from "../../platform/platform-context";
import type { TTerminalDevice } from "../../platform/terminals/authenticate-terminal-device";
import { buildEmergencyHistory } from "./build-emergency-history";
import { emergencyAudienceOf, identifyByCertificate } from "./identify-emergency-card";
import {
  BREAK_GLASS_DEFAULT_PARTS,
  BREAK_GLASS_REASON_LABELS,
  BREAK_GLASS_TTL_MS,
  EMERGENCY_PARTS,
  type TBreakGlassReason,
  type TEmergencyAudience,
  type TEmergencyHistoryDto,
  type TEmergencyPart,
  ZBreakGlassReason,
  ZBreakGlassRequest,
} from "./schemas";
import { activeEmergencyConsent } from "./set-emergency-consent";

/** Kind of the resident notices a break-glass read writes (lib/platform/notices shows them). */
export const BREAK_GLASS_NOTICE_KIND = "emergency_break_glass";
/** A reason shorter than this is not a reason ("x", "急"). */
const MIN_REASON_CHARS = 4;

export type TBreakGlassDto = TEmergencyHistoryDto & { accessToken: string };

type TOpenBreakGlassOptions = {
  device: TTerminalDevice;
  request: unknown;
  requestMetadata?: TRequestMetadata;
};

/** The parts a break-glass read shows: the resident's chosen parts, or the vital default; null if refused. */
async function breakGlassParts(
  tx: Prisma.TransactionClient,
  o: { residentId: string; audience: TEmergencyAudience },
): Promise<TEmergencyPart[]> {
  const consent = await activeEmergencyConsent(tx, o);
  if (consent && !consent.breakGlass) throw new AppError("EMERGENCY_BREAK_GLASS_REFUSED");
  const chosen = EMERGENCY_PARTS.filter((p) => consent?.parts.includes(p));
  return chosen.length > 0 ? chosen : [...BREAK_GLASS_DEFAULT_PARTS];
}

/**
 * Break-glass (the patient cannot tap with the PIN): the crew sends the card's
 * user-authentication certificate (read without PIN) with a reason (a category and a text of at
 * least a few characters, else EMERGENCY_REASON_REQUIRED — checked before the card, so a refused
 * request costs no J-LIS query). The certificate is verified (path, status at J-LIS now, an
 * ACTIVE binding); a resident who refused break-glass for this audience is not read
 * (EMERGENCY_BREAK_GLASS_REFUSED). In one transaction: a BreakGlassAccess for this terminal and
 * this resident valid 30 minutes (only the token's hash stored), the audit event
 * `emergency.break_glass` (the resident's access log marks it), resident notices and e-mails to
 * the resident and their registered family (household members and proxies), and the history.
 */
export async function openBreakGlass(ctx: TPlatformContext, options: TOpenBreakGlassOptions): Promise<TBreakGlassDto> {
  const audience = await emergencyAudienceOf(ctx, options.device);
  const input = ZBreakGlassRequest.parse(options.request);
  const category = ZBreakGlassReason.safeParse(input.reasonCategory);
  const reasonText = input.reasonText?.trim() ?? "";
  if (!category.success || [...reasonText].length < MIN_REASON_CHARS) throw new AppError("EMERGENCY_REASON_REQUIRED");
  const { residentId } = await identifyByCertificate(ctx, {
    device: options.device,
    certificate: new Uint8Array(Buffer.from(input.certificate, "base64")),
  });
  const now = nowOf(ctx);
  const accessToken = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + BREAK_GLASS_TTL_MS);
  return ctx.prisma.$transaction(async (tx) => {
    const parts = await breakGlassParts(tx, { residentId, audience });
    const access = await tx.breakGlassAccess.create({
      data: {
        residentId,
        partnerId: options.device.partner.id,
        terminalDeviceId: options.device.id,
        audience,
        reasonCategory: category.data,
        reasonText,
        tokenHash: sha256Hex(accessToken),
        grantedAt: now,
        expiresAt,
      },
      select: { id: true },
    });
    await auditBreakGlass(tx, {
      options,
      residentId,
      audience,
      parts,
      accessId: access.id,
      category: category.data,
      read: "opened",
    });
    await notifyBreakGlass(tx, { residentId, device: options.device, audience, category: category.data, now });
    const history = await buildEmergencyHistory(tx, { residentId, parts });
    return {
      ...history,
      access: {
        mode: "break_glass",
        readAt: now.toISOString(),
        accessId: access.id,
        expiresAt: expiresAt.toISOString(),
        reasonCategory: category.data,
      },
      accessToken,
    };
  });
}

export const ZBreakGlassReadRequest = z.strictObject({ accessToken: z.string().regex(/^[A-Za-z0-9_-]{43}$/) });

/**
 * Another read inside an open break-glass window (the crew reopens the screen on the way):
 * the token must be one this terminal received, and the window not over; otherwise
 * EMERGENCY_BREAK_GLASS_EXPIRED and nothing is read. The resident's current choice applies (a
 * refusal made meanwhile stops the reads). Each read is audited as `emergency.break_glass`.
 */
export async function readBreakGlass(
  ctx: TPlatformContext,
  options: { device: TTerminalDevice; request: unknown; requestMetadata?: TRequestMetadata },
): Promise<TEmergencyHistoryDto> {
  const audience = await emergencyAudienceOf(ctx, options.device);
  const { accessToken } = ZBreakGlassReadRequest.parse(options.request);
  const now = nowOf(ctx);
  return ctx.prisma.$transaction(async (tx) => {
    const access = await tx.breakGlassAccess.findUnique({
      where: { tokenHash: sha256Hex(accessToken) },
      select: { id: true, residentId: true, terminalDeviceId: true, expiresAt: true, reasonCategory: true },
    });
    if (!access || access.terminalDeviceId !== options.device.id || access.expiresAt.getTime() <= now.getTime()) {
      throw new AppError("EMERGENCY_BREAK_GLASS_EXPIRED");
    }
    const category = ZBreakGlassReason.parse(access.reasonCategory);
    const parts = await breakGlassParts(tx, { residentId: access.residentId, audience });
    await tx.breakGlassAccess.update({ where: { id: access.id }, data: { reads: { increment: 1 } } });
    await auditBreakGlass(tx, {
      options,
      residentId: access.residentId,
      audience,
      parts,
      accessId: access.id,
      category,
      read: "repeat",
    });
    const history = await buildEmergencyHistory(tx, { residentId: access.residentId, parts });
    return {
      ...history,
      access: {
        mode: "break_glass",
        readAt: now.toISOString(),
        accessId: access.id,
        expiresAt: access.expiresAt.toISOString(),
        reasonCategory: category,
      },
    };
  });
}

async function auditBreakGlass(
  tx: Prisma.TransactionClient,
  o: {
    options: { device: TTerminalDevice; requestMetadata?: TRequestMetadata };
    residentId: string;
    audience: TEmergencyAudience;
    parts: TEmergencyPart[];
    accessId: string;
    category: TBreakGlassReason;
    read: "opened" | "repeat";
  },
): Promise<void> {
  // The reason's text stays in BreakGlassAccess (staff review it); the log keeps its category.
  await appendAuditEvent(tx, {
    type: "emergency.break_glass",
    actor: { type: "partner", id: o.options.device.partner.id },
    subjectResidentId: o.residentId,
    purpose: `緊急閲覧（本人の暗証番号なし）: ${BREAK_GLASS_REASON_LABELS[o.category].ja}`,
    channel: "terminal",
    requestMetadata: o.options.requestMetadata,
    data: {
      breakGlass: true,
      accessId: o.accessId,
      read: o.read,
      terminal: o.options.device.label,
      terminalDeviceId: o.options.device.id,
      audience: o.audience,
      parts: o.parts,
      reasonCategory: o.category,
    },
  });
}

/**
 * Tells the resident and their registered family: a resident notice (shown in the mailbox) and an
 * e-mail through the outbox for each. Family = adult members of the resident's household who
 * still live in the town, and the resident's proxies with an active grant. The resident's own
 * emergency contacts are free text (no address to send to) and are not notified here.
 */
async function notifyBreakGlass(
  tx: Prisma.TransactionClient,
  o: {
    residentId: string;
    device: TTerminalDevice;
    audience: TEmergencyAudience;
    category: TBreakGlassReason;
    now: Date;
  },
): Promise<void> {
  const resident = await tx.resident.findUniqueOrThrow({
    where: { id: o.residentId },
    select: { familyName: true, givenName: true, householdId: true },
  });
  const adultBorn = new Date(o.now);
  adultBorn.setUTCFullYear(adultBorn.getUTCFullYear() - 18);
  const [household, proxies] = await Promise.all([
    tx.resident.findMany({
      where: {
        householdId: resident.householdId,
        id: { not: o.residentId },
        leftAt: null,
        dateOfBirth: { lte: adultBorn },
      },
      select: { id: true },
    }),
    tx.proxyGrant.findMany({
      where: { principalId: o.residentId, revokedAt: null, endsAt: { gt: o.now } },
      select: { proxyId: true },
    }),
  ]);
  const family = [...new Set([...household.map((r) => r.id), ...proxies.map((p) => p.proxyId)])].filter(
    (id) => id !== o.residentId,
  );
  const reader = `${o.device.partner.name}（${o.device.label}）`;
  const reason = BREAK_GLASS_REASON_LABELS[o.category].ja;
  const patient = `${resident.familyName}\u3000${resident.givenName}`;
  const data = {
    partnerId: o.device.partner.id,
    terminal: o.device.label,
    audience: o.audience,
    reasonCategory: o.category,
  };
  await tx.residentNotice.create({
    data: {
      residentId: o.residentId,
      kind: BREAK_GLASS_NOTICE_KIND,
      title: "救急医療情報が緊急閲覧されました",
      body:
        `${reader}が、あなたの暗証番号なしで救急医療情報を閲覧しました（理由: ${reason}）。` +
        "閲覧は30分間に限られ、アクセス記録に「緊急閲覧」として残ります。心当たりがない場合は町の窓口にご連絡ください。",
      data: { ...data, recipient: "self" },
      createdAt: o.now,
    },
  });
  for (const id of family) {
    await tx.residentNotice.create({
      data: {
        residentId: id,
        kind: BREAK_GLASS_NOTICE_KIND,
        title: `ご家族（${patient}さん）の救急医療情報が緊急閲覧されました`,
        body: `${reader}が、${patient}さんの救急医療情報を本人の暗証番号なしで閲覧しました（理由: ${reason}）。救急の場面である可能性があります。`,
        data: { ...data, recipient: "family", patientResidentId: o.residentId },
        createdAt: o.now,
      },
    });
  }
  for (const [id, recipient] of [[o.residentId, "self"] as const, ...family.map((f) => [f, "family"] as const)]) {
    await enqueueEmergencyAccessNotification(tx, {
      residentId: id,
      readerName: o.device.partner.name,
      readerNameEn: o.device.partner.nameEn,
      recipient,
      now: o.now,
    });
  }
}
