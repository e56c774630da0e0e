/**
 * Link on first tap (紐付け at the counter): a kiosk tap answered RECIPIENT_NOT_LINKED, the staff
 * enter the person's member number, and the person consents on the spot with their card and PIN.
 *
 * The consent is bound into what the card signs: the kiosk's second challenge is not a random
 * nonce but SHA-256 of the consent statement (partner, member number, purposes, terminal, request
 * id, a random salt), kept with the request. The card signs hash(origin) ‖ hash(nonce) as in any
 * tap, so its signature commits to exactly that statement; completing checks the hash again.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { z } from "zod";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { TRequestMetadata } from "../audit/schemas";
import { assertModeReachesResident } from "../credential-mode/credential-mode";
import { sha256Hex } from "../crypto/sha256";
import { AppError } from "../errors/app-error";
import { ZSafeText } from "../http/safe-text";
import type { TLinkPurpose } from "../mailbox/link-purposes";
import { TERMINAL_CHALLENGE_TTL_MS, terminalBindingHash } from "../platform/eligibility/issue-terminal-challenge";
import { verifyTerminalCardTap } from "../platform/eligibility/verify-terminal-card";
import { nowOf, type TPlatformContext } from "../platform/platform-context";
import type { TTerminalDevice } from "../platform/terminals/authenticate-terminal-device";
import { approvePendingInTx } from "./resident-link-requests";

/** LoginChallenge.purpose of a link consent at a kiosk (apart from eligibility taps and logins). */
export const TERMINAL_LINK_CHALLENGE_PURPOSE = "terminal-link";

/** What a link made at a kiosk allows, and why, per kiosk mode. */
export const TERMINAL_LINK_PURPOSES: Partial<
  Record<TTerminalDevice["mode"], { purposes: TLinkPurpose[]; purposeText: string }>
> = {
  HOSPITAL: { purposes: ["eligibility"], purposeText: "受付での保険資格の確認" },
  BUS: { purposes: ["eligibility"], purposeText: "乗車時の資格の確認" },
};

const ZStart = z.strictObject({ partnerRef: ZSafeText.trim().min(1).max(100) });
const ZComplete = z.strictObject({ nonce: z.string().min(16).max(200), token: z.string().min(2).max(24_000) });

/** The consent statement the card's signature commits to (one line per field, fixed order). */
export function terminalLinkStatement(o: {
  linkRequestId: string;
  partnerId: string;
  partnerRef: string;
  purposes: readonly TLinkPurpose[];
  terminal: string;
  salt: string;
}): string {
  return [
    "ichimai-terminal-link/1",
    `linkRequest=${o.linkRequestId}`,
    `partner=${o.partnerId}`,
    `partnerRef=${encodeURIComponent(o.partnerRef)}`,
    `purposes=${o.purposes.join(",")}`,
    `terminal=${encodeURIComponent(o.terminal)}`,
    `salt=${o.salt}`,
  ].join("\n");
}

/** The challenge nonce of a statement: base64 of its SHA-256. */
export function nonceOfStatement(statement: string): string {
  return Buffer.from(sha256Hex(statement), "hex").toString("base64");
}

export type TTerminalLinkStart = {
  object: "terminal_link";
  nonce: string;
  /** The origin the card signs for. */
  origin: string;
  /** Kept from the page (HttpOnly cookie), as a tap's. */
  terminalBinding: string;
  expiresAt: string;
  partnerRef: string;
  purposes: TLinkPurpose[];
  purposeText: string;
};

/**
 * Step 1 (staff entered the member number): a PENDING link request of the kiosk's partner, open
 * two minutes, and its consent challenge. PARTNER_REF_TAKEN when someone is linked under the number.
 */
export async function startTerminalLink(
  ctx: TPlatformContext,
  o: { device: TTerminalDevice; request: unknown },
): Promise<TTerminalLinkStart> {
  const { partnerRef } = ZStart.parse(o.request);
  if (!ctx.eligibility) throw new AppError("INTERNAL", { message: "Eligibility verification is not configured." });
  const origin = ctx.eligibility.origin;
  const now = nowOf(ctx);
  const expiresAt = new Date(now.getTime() + TERMINAL_CHALLENGE_TTL_MS);
  const partnerId = o.device.partner.id;
  const offered = TERMINAL_LINK_PURPOSES[o.device.mode];
  if (!offered) throw new AppError("TERMINAL_LINK_NOT_OFFERED");
  const { purposes, purposeText } = offered;
  const linkRequestId = randomUUID();
  const statement = terminalLinkStatement({
    linkRequestId,
    partnerId,
    partnerRef,
    purposes,
    terminal: o.device.label,
    salt: randomBytes(16).toString("base64url"),
  });
  const nonce = nonceOfStatement(statement);
  const terminalBinding = randomBytes(32).toString("base64url");
  await ctx.prisma.$transaction(async (tx) => {
    const holder = await tx.partnerResidentLink.findUnique({
      where: { partnerId_partnerRef: { partnerId, partnerRef } },
      select: { revokedAt: true },
    });
    if (holder && !holder.revokedAt) throw new AppError("PARTNER_REF_TAKEN");
    await tx.linkRequest.create({
      data: {
        id: linkRequestId,
        partnerId,
        sandbox: o.device.credentialMode === "TEST",
        partnerRef,
        purposes,
        purposeText,
        terminalDeviceId: o.device.id,
        consentStatement: statement,
        consentNonce: nonce,
        expiresAt,
        createdAt: now,
      },
    });
    await tx.loginChallenge.create({
      data: {
        nonce,
        bindingHash: terminalBindingHash(partnerId, terminalBinding),
        origin: `${origin}#terminal=${encodeURIComponent(o.device.label)}`,
        purpose: TERMINAL_LINK_CHALLENGE_PURPOSE,
        expiresAt,
        createdAt: now,
      },
    });
  });
  return {
    object: "terminal_link",
    nonce,
    origin,
    terminalBinding,
    expiresAt: expiresAt.toISOString(),
    partnerRef,
    purposes,
    purposeText,
  };
}

export type TTerminalLinkResult = {
  object: "terminal_link_result";
  linked: true;
  member: { reference: string; linkedAt: string };
  checkedAt: string;
};

/**
 * Step 2: the card's signature over the consent challenge → the link. The card must be a portal
 * user's (CARD_UNKNOWN), the statement must hash to the signed nonce (CHALLENGE_UNKNOWN), the
 * request still pending (LINK_REQUEST_DECIDED, LINK_REQUEST_EXPIRED), the number free
 * (PARTNER_REF_TAKEN) and the resident not linked to the partner yet (LINK_ALREADY_EXISTS).
 * The ledger gets consent.requested and consent.given (channel terminal, with the terminal and
 * the statement's hash), the partner `link_request.decided`.
 */
export async function completeTerminalLink(
  ctx: TPlatformContext,
  o: {
    device: TTerminalDevice;
    terminalBinding: string | undefined;
    request: unknown;
    requestMetadata?: TRequestMetadata;
  },
): Promise<TTerminalLinkResult> {
  if (!o.terminalBinding) throw new AppError("TERMINAL_TAP_NOT_STARTED");
  const input = ZComplete.parse(o.request);
  const partnerId = o.device.partner.id;
  const { terminal, residentId, now } = await verifyTerminalCardTap(ctx, {
    partnerId,
    mode: o.device.credentialMode,
    purpose: TERMINAL_LINK_CHALLENGE_PURPOSE,
    nonce: input.nonce,
    terminalBinding: o.terminalBinding,
    token: input.token,
  });
  if (!residentId) throw new AppError("CARD_UNKNOWN");
  return ctx.prisma.$transaction(async (tx) => {
    const row = await tx.linkRequest.findUnique({
      where: { consentNonce: input.nonce },
      select: {
        id: true,
        partnerId: true,
        terminalDeviceId: true,
        consentStatement: true,
        residentId: true,
        status: true,
        expiresAt: true,
        purposes: true,
        purposeText: true,
      },
    });
    if (
      !row ||
      row.partnerId !== partnerId ||
      row.terminalDeviceId !== o.device.id ||
      !row.consentStatement ||
      nonceOfStatement(row.consentStatement) !== input.nonce
    ) {
      throw new AppError("CHALLENGE_UNKNOWN");
    }
    if (row.status !== "PENDING" || row.residentId) throw new AppError("LINK_REQUEST_DECIDED");
    if (row.expiresAt.getTime() <= now.getTime()) throw new AppError("LINK_REQUEST_EXPIRED");
    const resident = await tx.resident.findUniqueOrThrow({ where: { id: residentId }, select: { sandbox: true } });
    // A LIVE kiosk links real residents only, a TEST (sandbox) kiosk sandbox ones only.
    assertModeReachesResident(o.device.credentialMode, resident);
    await tx.linkRequest.update({ where: { id: row.id }, data: { residentId, claimedAt: now } });
    const consentHash = sha256Hex(row.consentStatement);
    await appendAuditEvent(tx, {
      type: "consent.requested",
      actor: { type: "partner", id: partnerId },
      subjectResidentId: residentId,
      purpose: row.purposeText,
      channel: "terminal",
      requestMetadata: o.requestMetadata,
      data: {
        consent: "link",
        linkRequestId: row.id,
        partnerId,
        purposes: row.purposes,
        via: "terminal",
        terminal,
        terminalDeviceId: o.device.id,
      },
    });
    const { partnerRef, linkedAt } = await approvePendingInTx(tx, {
      linkRequestId: row.id,
      residentId,
      channel: "terminal",
      requestMetadata: o.requestMetadata,
      now,
      auditData: { terminal, terminalDeviceId: o.device.id, consentHash },
    });
    return {
      object: "terminal_link_result",
      linked: true,
      member: { reference: partnerRef, linkedAt: linkedAt.toISOString() },
      checkedAt: now.toISOString(),
    };
  });
}
