import { assertModeReachesResident, type TCredentialMode } from "@/lib/credential-mode/credential-mode";
import { z } from "zod";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { TRequestMetadata } from "@/lib/audit/schemas";
import { Prisma, type PrismaClient } from "@/lib/db/client";
import { AppError, validationFailed } from "@/lib/errors/app-error";
import { enqueueDocumentNotifications } from "./enqueue-document-notifications";
import { buildSearchText } from "./build-search-text";
import { sha256Hex } from "@/lib/crypto/sha256";
import { canonicalJsonBytes } from "./canonical-json";
import { failureCodeOf, failureSubjectOf, recordDeliveryFailures } from "./delivery-failures";
import { findDocumentType } from "./document-types/registry";
import { receiptSelect, toDocumentReceipt } from "./dto";
import { MAX_ATTACHMENT_BYTES, type TDocumentReceipt, ZDeliverDocumentRequest } from "./schemas";
import { sniffAttachment } from "./sniff-attachment";
import { verifyIssuerSignature } from "./verify-issuer-signature";
import { linkAllows, linkPurposeRefusal } from "./link-purposes";

/** An idempotency key: printable ASCII without spaces (like Stripe's and the IETF draft's keys). */
export const ZIdempotencyKey = z.string().regex(/^[\x21-\x7e]{1,255}$/, "1–255 printable ASCII characters");

export type DeliverDocumentOptions = {
  /** The delivering partner (from its verified API credential). */
  partnerId: string;
  /** The request body; validated here against ZDeliverDocumentRequest. */
  request: unknown;
  /** Same key + same body returns the first result; same key + another body is refused. */
  idempotencyKey?: string;
  /** Roots and CRLs for issuer signatures (getIssuerTrustAnchors() / getIssuerCrls() in the app). */
  trustAnchors: Uint8Array[];
  issuerCrls?: Uint8Array[];
  requestMetadata?: TRequestMetadata;
  now?: Date;
  /**
   * The mode of the credential delivering (the partner API always gives it): TEST reaches only
   * sandbox residents, LIVE only real ones (CREDENTIAL_MODE_MISMATCH). Unset for the portal's
   * own deliveries (the demo seed).
   */
  credentialMode?: TCredentialMode;
  /**
   * Runs inside the delivery's own transaction, after the document and its audit event are
   * written: what the caller records of this delivery (e.g. a bulk notice line's outcome)
   * commits with it or not at all. A throw rolls the delivery back. Not called on a replay.
   */
  withinDelivery?: (
    tx: Prisma.TransactionClient,
    delivered: { documentId: string; residentId: string },
  ) => Promise<void>;
};

export type TDeliverDocumentResult = {
  status: 201;
  receipt: TDocumentReceipt;
  /** True when this is the stored answer to an earlier request with the same idempotency key. */
  replayed: boolean;
};

/** The path-annotated 422 of a zod failure, with the prefix of the part that failed. */
function validationError(error: z.ZodError, prefix: string[] = []): AppError {
  return validationFailed(error, { prefix });
}

type TStoredResponse = { receipt: TDocumentReceipt };

async function replayOrConflict(
  prisma: PrismaClient,
  partnerId: string,
  idempotencyKey: string,
  requestHash: string,
): Promise<TDeliverDocumentResult | undefined> {
  const previous = await prisma.deliveryRequest.findUnique({
    where: { partnerId_idempotencyKey: { partnerId, idempotencyKey } },
    select: { requestHash: true, response: true },
  });
  if (!previous) return undefined;
  if (previous.requestHash !== requestHash) {
    throw new AppError("IDEMPOTENCY_KEY_REUSED", { details: { idempotencyKey } });
  }
  return { status: 201, receipt: (previous.response as TStoredResponse).receipt, replayed: true };
}

/**
 * Delivers one signed document to a resident's mailbox.
 *
 * Order of checks, cheapest and most partner-actionable first: request shape, idempotency,
 * document type, payload schema, attachments, the issuer's detached CMS signature over the
 * RFC 8785 canonical payload (RFC 5652 §5.6, CAdES-BES) against the partner CA, the signer's
 * organisation = the delivering partner, then the recipient. The recipient must have linked the
 * partner (PartnerResidentLink, addressed by the partner's own reference); only the
 * municipality (kind GOVERNMENT) may address by registry number. Unknown and unlinked references
 * give the same RECIPIENT_NOT_LINKED, so a partner cannot probe who lives here.
 *
 * The document, its attachments, the idempotency record and the `document.delivered` audit
 * event are written in one transaction: any failure leaves nothing behind but a DeliveryFailure
 * log row, written afterwards (delivery-failures.ts; shown as "failed" to the partner).
 *
 * Throws VALIDATION_FAILED (with paths), IDEMPOTENCY_KEY_REUSED, DOCUMENT_TYPE_UNKNOWN,
 * ATTACHMENT_TOO_LARGE / _TYPE_UNSUPPORTED / _TYPE_MISMATCH, DOCUMENT_SIGNATURE_INVALID,
 * DOCUMENT_ISSUER_MISMATCH, RECIPIENT_NOT_LINKED, RECIPIENT_ADDRESSING_FORBIDDEN.
 */
export async function deliverDocument(
  prisma: PrismaClient,
  options: DeliverDocumentOptions,
): Promise<TDeliverDocumentResult> {
  try {
    return await deliverOnce(prisma, options);
  } catch (err) {
    // "failed" (delivery-failures.ts): logged after the refused work rolled back, in its own
    // insert that never throws; not an idempotent answer, so a retry with the key runs again.
    await recordDeliveryFailures(prisma, [
      {
        partnerId: options.partnerId,
        idempotencyKey: options.idempotencyKey,
        ...failureSubjectOf(options.request),
        ...failureCodeOf(err),
        createdAt: options.now,
      },
    ]);
    throw err;
  }
}

async function deliverOnce(prisma: PrismaClient, options: DeliverDocumentOptions): Promise<TDeliverDocumentResult> {
  const now = options.now ?? new Date();
  const parsed = ZDeliverDocumentRequest.safeParse(options.request);
  if (!parsed.success) throw validationError(parsed.error);
  const request = parsed.data;
  let idempotencyKey: string | undefined;
  if (options.idempotencyKey !== undefined) {
    const key = ZIdempotencyKey.safeParse(options.idempotencyKey);
    if (!key.success) throw validationError(key.error, ["Idempotency-Key"]);
    idempotencyKey = key.data;
  }
  // The hash of the whole canonical request: a retry that re-serialises the same JSON matches.
  const requestHash = sha256Hex(canonicalJsonBytes(request));
  if (idempotencyKey) {
    const replay = await replayOrConflict(prisma, options.partnerId, idempotencyKey, requestHash);
    if (replay) return replay;
  }

  const type = findDocumentType(request.type);
  if (!type) throw new AppError("DOCUMENT_TYPE_UNKNOWN", { details: { type: request.type } });
  const payload = type.schema.safeParse(request.payload);
  if (!payload.success) throw validationError(payload.error, ["payload"]);

  const attachments = (request.attachments ?? []).map((a, i) => {
    const content = new Uint8Array(Buffer.from(a.contentBase64, "base64"));
    if (content.length > MAX_ATTACHMENT_BYTES) {
      throw new AppError("ATTACHMENT_TOO_LARGE", {
        details: { index: i, size: content.length, max: MAX_ATTACHMENT_BYTES },
      });
    }
    return {
      filename: a.filename,
      mimeType: sniffAttachment(content, a.mimeType),
      size: content.length,
      sha256: sha256Hex(content),
      content,
    };
  });

  const partner = await prisma.partner.findUnique({
    where: { id: options.partnerId },
    select: { id: true, slug: true, kind: true, name: true, nameEn: true, active: true },
  });
  if (!partner?.active) throw new AppError("PARTNER_INACTIVE");

  // The issuer signed the canonical form of the payload exactly as sent (the schemas do not
  // transform values, so the parsed payload is the same JSON).
  const canonical = canonicalJsonBytes(request.payload);
  const signedData = new Uint8Array(Buffer.from(request.signature, "base64"));
  const { stored, signedAt } = await verifyIssuerSignature({
    canonicalPayload: canonical,
    signature: signedData,
    partnerSlug: partner.slug,
    trust: options,
    now,
  });

  const labels = request.metadata?.labels ?? [];
  const { searchText, searchGrams } = buildSearchText({
    type,
    payload: payload.data,
    issuerName: partner.name,
    issuerNameEn: partner.nameEn,
    labels,
  });

  try {
    return await prisma.$transaction(async (tx) => {
      let residentId: string;
      if ("registryNumber" in request.recipient) {
        if (partner.kind !== "GOVERNMENT") {
          throw new AppError("RECIPIENT_ADDRESSING_FORBIDDEN", {
            message: "Only the municipality may address residents by registry number; use your partnerRef.",
          });
        }
        const resident = await tx.resident.findUnique({
          where: { registryNumber: request.recipient.registryNumber },
          select: { id: true, leftAt: true, sandbox: true },
        });
        if (!resident || resident.leftAt) throw new AppError("RECIPIENT_NOT_LINKED");
        if (options.credentialMode) assertModeReachesResident(options.credentialMode, resident);
        residentId = resident.id;
      } else {
        const link = await tx.partnerResidentLink.findUnique({
          where: { partnerId_partnerRef: { partnerId: partner.id, partnerRef: request.recipient.partnerRef } },
          select: { residentId: true, revokedAt: true, purposes: true, resident: { select: { sandbox: true } } },
        });
        if (!link || link.revokedAt) throw new AppError("RECIPIENT_NOT_LINKED");
        if (!linkAllows(link, "deliver")) throw linkPurposeRefusal("deliver");
        if (options.credentialMode) assertModeReachesResident(options.credentialMode, link.resident);
        residentId = link.residentId;
      }

      const metadata = request.metadata ?? {};
      const document = await tx.mailboxDocument.create({
        data: {
          residentId,
          issuerPartnerId: partner.id,
          type: type.id,
          domain: type.domain,
          payload: request.payload as Prisma.InputJsonObject,
          payloadHash: sha256Hex(canonical),
          signature: signedData,
          verificationReport: stored as unknown as Prisma.InputJsonObject,
          signatureValid: stored.valid,
          signedAt,
          actions: (metadata.actions ?? []) as Prisma.InputJsonArray,
          deadline: metadata.deadline ? new Date(metadata.deadline) : null,
          expiresAt: metadata.expiresAt ? new Date(metadata.expiresAt) : null,
          language: metadata.language ?? "ja",
          keepAfterRelationshipEnds: metadata.keepAfterRelationshipEnds ?? false,
          labels,
          searchText,
          searchGrams,
          createdAt: now,
          attachments: { create: attachments },
        },
        select: receiptSelect,
      });
      const receipt = toDocumentReceipt(document, now);
      if (idempotencyKey) {
        await tx.deliveryRequest.create({
          data: {
            partnerId: partner.id,
            idempotencyKey,
            requestHash,
            responseStatus: 201,
            response: { receipt } satisfies TStoredResponse as unknown as Prisma.InputJsonObject,
            documentId: document.id,
          },
        });
      }
      await appendAuditEvent(tx, {
        type: "document.delivered",
        actor: { type: "partner", id: partner.id },
        subjectResidentId: residentId,
        purpose: "書類の配信",
        channel: "api",
        requestMetadata: options.requestMetadata,
        data: {
          documentId: document.id,
          type: type.id,
          payloadHash: receipt.payloadHash,
          attachments: attachments.length,
          ...(idempotencyKey ? { idempotencyKey } : {}),
        },
      });
      // The "a document arrived" e-mail, sent after commit (lib/notifications).
      await enqueueDocumentNotifications(tx, [
        {
          residentId,
          documentId: document.id,
          documentType: type.id,
          issuerName: partner.name,
          issuerNameEn: partner.nameEn,
        },
      ]);
      await options.withinDelivery?.(tx, { documentId: document.id, residentId });
      return { status: 201 as const, receipt, replayed: false };
    });
  } catch (err) {
    // A concurrent request with the same key committed first: answer as its replay would.
    if (idempotencyKey && err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      const replay = await replayOrConflict(prisma, options.partnerId, idempotencyKey, requestHash);
      if (replay) return replay;
    }
    throw err;
  }
}
