import { z } from "zod";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { TAuditChannel, TRequestMetadata } from "@/lib/audit/schemas";
import { bindingKeyOf } from "@/lib/auth/verify-card-login";
import { sha256Hex } from "@/lib/crypto/sha256";
import { Prisma } from "@/lib/db/client";
import { AppError, validationFailed } from "@/lib/errors/app-error";
import { checkRevocationAtJlis } from "@/lib/jlis/revocation";
import { parseJpkiCertificate, verifyCms } from "@/lib/jpki";
import { bytesEqual } from "@/lib/jpki/der";
import { canonicalJsonBytes } from "@/lib/mailbox/canonical-json";
import { signerBelongsTo } from "../signing-requests/verify-resident-cms";
import { nowOf, type TApplicationsContext } from "./applications-context";
import { applicationSelect, toApplicationSummaryDto } from "./dto";
import { checkDraftAgainstRegistry, draftOf } from "./prepare-application";
import {
  type TApplicationContent,
  type TApplicationSummaryDto,
  type TApplicationVerification,
  ZApplicationContent,
} from "./schemas";

/** A signed application is at most this old when it arrives (prepared, read, signed with the card). */
export const PREPARED_MAX_AGE_MS = 60 * 60_000;

export const ZSubmitApplicationRequest = z.strictObject({
  /** base64 DER of the CAdES-BES SignedData with the content attached. */
  signedData: z
    .string()
    .regex(/^[A-Za-z0-9+/]+={0,2}$/)
    .max(90_000),
});

/** Options of {@link submitApplication}. */
export type TSubmitApplicationOptions = {
  residentId: string;
  request: unknown;
  channel?: TAuditChannel;
  requestMetadata?: TRequestMetadata;
};

/**
 * A resident submits an application they signed with the card (or a corrected revision of a
 * returned one). Checked, in order: the CMS (structure, signature, signed attributes, the path
 * to the JPKI signing roots), a signing certificate, the content (canonical JSON of an
 * application prepared for this resident, at most an hour old, its people still in the
 * household), the certificate is the resident's (their bound signing certificate, or J-LIS's
 * sign → auth link to their bound card), and its status now at J-LIS (never cached). Stored with
 * the verification and an `application.submitted` audit event in one transaction.
 *
 * CMS_MALFORMED, SIGNATURE_INVALID, CERT_UNTRUSTED, CERT_WRONG_PURPOSE, APPLICATION_CONTENT_INVALID,
 * APPLICATION_SIGNER_MISMATCH, CERT_REVOKED, CERT_STATUS_UNKNOWN, CERT_STATUS_UNAVAILABLE,
 * APPLICATION_ALREADY_SUBMITTED, APPLICATION_NOT_RETURNED, APPLICATION_HOUSEHOLD_MISMATCH.
 */
export async function submitApplication(
  ctx: TApplicationsContext,
  o: TSubmitApplicationOptions,
): Promise<TApplicationSummaryDto> {
  const parsed = ZSubmitApplicationRequest.safeParse(o.request);
  if (!parsed.success) throw validationFailed(parsed.error);
  const req = parsed.data;
  const now = nowOf(ctx);
  const signedData = new Uint8Array(Buffer.from(req.signedData, "base64"));
  const report = await verifyCms({ signedData, trustAnchors: ctx.signTrustAnchors, time: now });
  const signer = report.signerCertificate;
  if (!signer || !report.content) {
    throw new AppError("CMS_MALFORMED", { details: { checks: report.checks } });
  }
  if (!report.valid) {
    const failed = report.checks.find((c) => !c.ok);
    const code = failed?.code === "CERT_PATH" ? "CERT_UNTRUSTED" : "SIGNATURE_INVALID";
    throw new AppError(code, { message: failed?.detail, details: { checks: report.checks } });
  }
  const jpki = parseJpkiCertificate(signer);
  if (jpki.kind !== "sign" || !jpki.facts?.dateOfBirth) throw new AppError("CERT_WRONG_PURPOSE");

  const content = readContent(report.content);
  const resident = await ctx.prisma.resident.findUnique({
    where: { id: o.residentId },
    select: { registryNumber: true, leftAt: true },
  });
  if (!resident || resident.leftAt) throw new AppError("NOT_FOUND");
  const prepared = Date.parse(content.preparedAt);
  if (
    content.applicant.registryNumber !== resident.registryNumber ||
    prepared < now.getTime() - PREPARED_MAX_AGE_MS ||
    prepared > now.getTime() + 5 * 60_000
  ) {
    throw new AppError("APPLICATION_CONTENT_INVALID", { message: "Not prepared for you, or prepared too long ago." });
  }

  const key = bindingKeyOf(jpki);
  const boundBy = await signerBelongsTo(ctx, o.residentId, key);
  if (!boundBy) throw new AppError("APPLICATION_SIGNER_MISMATCH");

  const issuer = report.path?.[1];
  if (!issuer) throw new AppError("CERT_UNTRUSTED");
  const status = await checkRevocationAtJlis(ctx.jlis, { certificate: signer, issuer, now });
  if (status.status === "unavailable") throw new AppError("CERT_STATUS_UNAVAILABLE");
  if (status.status === "revoked") {
    throw new AppError("CERT_REVOKED", { details: { reason: status.reason ?? null } });
  }
  if (status.status !== "good") throw new AppError("CERT_STATUS_UNKNOWN");

  await checkDraftAgainstRegistry(ctx.prisma, o.residentId, draftOf(content));

  const verification: TApplicationVerification = {
    signatureValid: true,
    checks: report.checks.map((c) => ({ code: c.code, ok: c.ok, ...(c.detail ? { detail: c.detail } : {}) })),
    revocation: { status: status.status, source: status.source, checkedAt: now.toISOString() },
    signer: { issuerDn: key.issuerDn, serialNumber: key.serialNumber, notAfter: jpki.notAfter.toISOString() },
    boundBy,
    facts: {
      name: jpki.facts.name,
      address: jpki.facts.address,
      dateOfBirth: jpki.facts.dateOfBirth,
      gender: jpki.facts.gender,
    },
  };
  const row = {
    content: content as Prisma.InputJsonValue,
    signedData: new Uint8Array(signedData),
    contentHash: sha256Hex(report.content),
    signerIssuerDn: key.issuerDn,
    signerSerialNumber: key.serialNumber,
    signingTime: report.signingTime ?? now,
    verification: verification as unknown as Prisma.InputJsonValue,
    submittedAt: now,
  };

  try {
    return await ctx.prisma.$transaction(async (tx) => {
      let saved: Prisma.ServiceApplicationGetPayload<{ select: typeof applicationSelect }>;
      if (content.revision === 1) {
        saved = await tx.serviceApplication.create({
          data: {
            id: content.applicationId,
            residentId: o.residentId,
            kind: content.kind === "move" ? "MOVE" : "RESIDENCE_CERTIFICATE",
            ...row,
          },
          select: applicationSelect,
        });
      } else {
        const previous = await tx.serviceApplication.findUnique({
          where: { id: content.applicationId },
          select: { residentId: true, status: true, revision: true },
        });
        if (!previous || previous.residentId !== o.residentId) throw new AppError("APPLICATION_CONTENT_INVALID");
        if (previous.revision >= content.revision) throw new AppError("APPLICATION_ALREADY_SUBMITTED");
        if (previous.status !== "RETURNED") throw new AppError("APPLICATION_NOT_RETURNED");
        if (previous.revision + 1 !== content.revision) throw new AppError("APPLICATION_CONTENT_INVALID");
        // Conditional on the state read above, so two racing re-submissions cannot both land.
        const { count } = await tx.serviceApplication.updateMany({
          where: { id: content.applicationId, status: "RETURNED", revision: previous.revision },
          data: { ...row, status: "SUBMITTED", revision: content.revision, returnReason: null },
        });
        if (count !== 1) throw new AppError("APPLICATION_ALREADY_SUBMITTED");
        saved = await tx.serviceApplication.findUniqueOrThrow({
          where: { id: content.applicationId },
          select: applicationSelect,
        });
      }
      await appendAuditEvent(tx, {
        type: "application.submitted",
        actor: { type: "resident", id: o.residentId },
        subjectResidentId: o.residentId,
        channel: o.channel ?? "pc",
        requestMetadata: o.requestMetadata,
        purpose: content.kind === "move" ? "転居届" : "住民票の写しの請求",
        data: {
          applicationId: content.applicationId,
          kind: content.kind,
          revision: content.revision,
          contentHash: row.contentHash,
          signerSerialNumber: key.serialNumber,
          boundBy,
        },
      });
      return toApplicationSummaryDto(saved);
    });
  } catch (err) {
    // The same id (revision 1 sent twice) or the same signed content again.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      throw new AppError("APPLICATION_ALREADY_SUBMITTED");
    }
    throw err;
  }
}

/** The content as signed: an application in RFC 8785 canonical form, nothing else. */
function readContent(bytes: Uint8Array): TApplicationContent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new AppError("APPLICATION_CONTENT_INVALID", { message: "The signed content is not JSON." });
  }
  const content = ZApplicationContent.safeParse(parsed);
  if (!content.success) {
    throw new AppError("APPLICATION_CONTENT_INVALID", { message: "The signed content is not an application." });
  }
  // Canonical bytes of what was parsed, and exactly those: no other spelling of the same JSON.
  if (!bytesEqual(canonicalJsonBytes(parsed), bytes)) {
    throw new AppError("APPLICATION_CONTENT_INVALID", { message: "The signed content is not canonical JSON." });
  }
  return content.data;
}
