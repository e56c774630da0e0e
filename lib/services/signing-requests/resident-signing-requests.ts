/**
 * The resident's side of signing requests: the pending ones, one request with the exact text to
 * sign, signing it with the card (the CMS is verified as an application's is before it is stored)
 * or declining. Every step is in the resident's access log (consent.given / consent.refused) and
 * the partner gets `signing_request.decided` on its endpoints of the resident's side.
 */
import { appendAuditEvent } from "../../audit/append-audit-event";
import type { TAuditChannel, TRequestMetadata } from "../../audit/schemas";
import { modeOfResident } from "../../credential-mode/credential-mode";
import type { Prisma, PrismaClient } from "../../db/client";
import { isUuid } from "../../db/ids";
import { AppError, validationFailed } from "../../errors/app-error";
import { nowOf, type TPlatformContext } from "../../platform/platform-context";
import { enqueueWebhookEvent } from "../../platform/webhooks/enqueue-webhook-event";
import { signingRequestSelect, statusOf, type TSigningRequestRow } from "./dto";
import { type TMySigningRequest, ZSignSigningRequest } from "./schemas";
import { verifyResidentCms } from "./verify-resident-cms";

type TDb = PrismaClient | Prisma.TransactionClient;

const mySelect = { ...signingRequestSelect, partner: { select: { name: true } } } as const;
type TMyRow = TSigningRequestRow & { partner: { name: string } };

function toMine(row: TMyRow, now: Date): TMySigningRequest {
  return {
    id: row.id,
    partnerName: row.partner.name,
    title: row.title,
    text: row.text,
    canonical: new TextDecoder().decode(row.content),
    status: statusOf(row, now),
    expiresAt: row.expiresAt.toISOString(),
    ...(row.decidedAt ? { decidedAt: row.decidedAt.toISOString() } : {}),
    createdAt: row.createdAt.toISOString(),
  };
}

/** The resident's pending (not expired) requests, soonest expiry first. */
export async function listMyPendingSigningRequests(
  db: TDb,
  o: { residentId: string; now?: Date },
): Promise<TMySigningRequest[]> {
  const now = o.now ?? new Date();
  const rows = await db.signingRequest.findMany({
    where: { residentId: o.residentId, status: "PENDING", expiresAt: { gt: now } },
    orderBy: [{ expiresAt: "asc" }, { id: "asc" }],
    select: mySelect,
    take: 100,
  });
  return rows.map((r) => toMine(r, now));
}

/** How many requests wait for the resident (the /services badge). */
export async function countPendingSigningRequests(db: TDb, o: { residentId: string; now?: Date }): Promise<number> {
  return db.signingRequest.count({
    where: { residentId: o.residentId, status: "PENDING", expiresAt: { gt: o.now ?? new Date() } },
  });
}

/** One of the resident's requests (another resident's, or an unknown id, is NOT_FOUND). */
export async function getMySigningRequest(
  db: TDb,
  o: { residentId: string; signingRequestId: string; now?: Date },
): Promise<TMySigningRequest> {
  const row = await findMine(db, o);
  return toMine(row, o.now ?? new Date());
}

async function findMine(db: TDb, o: { residentId: string; signingRequestId: string }): Promise<TMyRow> {
  const row = isUuid(o.signingRequestId)
    ? await db.signingRequest.findFirst({
        where: { id: o.signingRequestId, residentId: o.residentId },
        select: mySelect,
      })
    : null;
  if (!row) throw new AppError("NOT_FOUND", { message: "No such signing request." });
  return row;
}

function assertPending(row: TMyRow, now: Date): void {
  const status = statusOf(row, now);
  if (status === "expired") throw new AppError("SIGNING_REQUEST_EXPIRED");
  if (status !== "pending") throw new AppError("SIGNING_REQUEST_DECIDED");
}

export type TDecideOptions = {
  residentId: string;
  signingRequestId: string;
  channel: TAuditChannel;
  requestMetadata?: TRequestMetadata;
};

/**
 * The resident signs a request with the card. Checked, in order: pending and not expired
 * (SIGNING_REQUEST_EXPIRED, SIGNING_REQUEST_DECIDED), the CMS (structure, signature, signed
 * attributes, the path to the JPKI signing roots of the resident's side: JPKI-TEST for a sandbox
 * resident), a signing certificate (CERT_WRONG_PURPOSE), the signed content is byte for byte the
 * request's stored content (SIGNING_REQUEST_CONTENT_MISMATCH), the certificate is the resident's
 * (their SIGN binding, or J-LIS's sign → auth link: SIGNING_REQUEST_SIGNER_MISMATCH), and its
 * status now at J-LIS (CERT_REVOKED, CERT_STATUS_UNKNOWN, CERT_STATUS_UNAVAILABLE). Stored with
 * `consent.given` and the partner's `signing_request.decided` in one transaction.
 */
export async function signSigningRequest(
  ctx: TPlatformContext,
  o: TDecideOptions & { request: unknown },
): Promise<TMySigningRequest> {
  const parsed = ZSignSigningRequest.safeParse(o.request);
  if (!parsed.success) throw validationFailed(parsed.error);
  const now = nowOf(ctx);
  const row = await findMine(ctx.prisma, o);
  assertPending(row, now);
  const resident = await ctx.prisma.resident.findUnique({
    where: { id: o.residentId },
    select: { sandbox: true },
  });
  if (!resident) throw new AppError("NOT_FOUND");

  const signedData = new Uint8Array(Buffer.from(parsed.data.signedData, "base64"));
  const verified = await verifyResidentCms(ctx, {
    residentId: o.residentId,
    sandbox: resident.sandbox,
    signedData,
    content: row.content,
    now,
    codes: { mismatch: "SIGNING_REQUEST_CONTENT_MISMATCH", signer: "SIGNING_REQUEST_SIGNER_MISMATCH" },
  });
  const boundBy = verified.boundBy;

  return ctx.prisma.$transaction(async (tx) => {
    // Conditional on PENDING and not expired, so a racing decline or second signature cannot both land.
    const { count } = await tx.signingRequest.updateMany({
      where: { id: row.id, residentId: o.residentId, status: "PENDING", expiresAt: { gt: now } },
      data: {
        status: "SIGNED",
        decidedAt: now,
        signedData,
        signerIssuerDn: verified.signerIssuerDn,
        signerSerialNumber: verified.signerSerialNumber,
      },
    });
    if (count !== 1) throw new AppError("SIGNING_REQUEST_DECIDED");
    await recordDecision(
      tx,
      { ...o, row, now, sandbox: resident.sandbox, status: "signed" },
      {
        signerSerialNumber: verified.signerSerialNumber,
        boundBy,
      },
    );
    return toMine(await tx.signingRequest.findUniqueOrThrow({ where: { id: row.id }, select: mySelect }), now);
  });
}

/** The resident declines a request: SIGNING_REQUEST_EXPIRED, SIGNING_REQUEST_DECIDED, NOT_FOUND. */
export async function declineSigningRequest(
  prisma: PrismaClient,
  o: TDecideOptions & { now?: Date },
): Promise<TMySigningRequest> {
  const now = o.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const row = await findMine(tx, o);
    assertPending(row, now);
    const resident = await tx.resident.findUniqueOrThrow({ where: { id: o.residentId }, select: { sandbox: true } });
    const { count } = await tx.signingRequest.updateMany({
      where: { id: row.id, status: "PENDING", expiresAt: { gt: now } },
      data: { status: "DECLINED", decidedAt: now },
    });
    if (count !== 1) throw new AppError("SIGNING_REQUEST_DECIDED");
    await recordDecision(tx, { ...o, row, now, sandbox: resident.sandbox, status: "declined" }, {});
    return toMine(await tx.signingRequest.findUniqueOrThrow({ where: { id: row.id }, select: mySelect }), now);
  });
}

async function recordDecision(
  tx: Prisma.TransactionClient,
  o: TDecideOptions & { row: TMyRow; now: Date; sandbox: boolean; status: "signed" | "declined" },
  extra: Prisma.InputJsonObject,
): Promise<void> {
  await appendAuditEvent(tx, {
    type: o.status === "signed" ? "consent.given" : "consent.refused",
    actor: { type: "resident", id: o.residentId },
    subjectResidentId: o.residentId,
    purpose: o.row.title,
    channel: o.channel,
    requestMetadata: o.requestMetadata,
    data: { consent: "signature", signingRequestId: o.row.id, partnerId: o.row.partnerId, ...extra },
  });
  await enqueueWebhookEvent(tx, {
    partnerId: o.row.partnerId,
    mode: modeOfResident({ sandbox: o.sandbox }),
    type: "signing_request.decided",
    data: { signingRequestId: o.row.id, partnerRef: o.row.partnerRef, status: o.status },
    now: o.now,
  });
}
