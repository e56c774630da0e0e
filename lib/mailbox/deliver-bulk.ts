import { residentModeMismatch, type TCredentialMode } from "@/lib/credential-mode/credential-mode";
import { assertSafeJson } from "@/lib/http/safe-text";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { appendAuditEvents } from "@/lib/audit/append-audit-event";
import type { TRequestMetadata } from "@/lib/audit/schemas";
import { Prisma, type PrismaClient } from "@/lib/db/client";
import { AppError, validationFailed } from "@/lib/errors/app-error";
import { errorCodes, type TErrorCode } from "@/lib/errors/codes";
import { createLog, errorFields } from "@/lib/log/logger";
import { enqueueDocumentNotifications } from "./enqueue-document-notifications";
import { buildSearchText } from "./build-search-text";
import { sha256Hex } from "@/lib/crypto/sha256";
import { SignerValidationCache } from "@/lib/jpki";
import { canonicalJsonBytes } from "./canonical-json";
import { ZIdempotencyKey } from "./deliver-document";
import { failureKeyOf, failureSubjectOf, recordDeliveryFailures } from "./delivery-failures";
import { findDocumentType } from "./document-types/registry";
import { toDocumentReceipt } from "./dto";
import {
  MAX_ATTACHMENT_BYTES,
  type TDeliverDocumentRequest,
  type TDocumentReceipt,
  type TStoredVerificationReport,
  ZDeliverDocumentRequest,
} from "./schemas";
import { sniffAttachment } from "./sniff-attachment";
import { type TIssuerTrust, verifyIssuerSignature } from "./verify-issuer-signature";
import { linkAllows, linkPurposeRefusal } from "./link-purposes";

const log = createLog("mailbox/deliver-bulk");

/** Most documents in one bulk request. */
export const MAX_BULK_DOCUMENTS = 10_000;
/** Documents written per transaction: one advisory-locked audit section per batch. */
export const DEFAULT_BULK_BATCH_SIZE = 200;

/** One NDJSON line of a bulk delivery: the single-delivery body plus its own idempotency key. */
export const ZBulkDeliveryLine = z.strictObject({
  idempotencyKey: ZIdempotencyKey.optional(),
  document: ZDeliverDocumentRequest,
});
export type TBulkDeliveryLine = z.infer<typeof ZBulkDeliveryLine>;

/** The error part of a refused line: the same stable codes as POST /api/v1/documents. */
export type TBulkLineError = { code: TErrorCode; message: string; details?: unknown };

/** The answer to one input line, in input order. */
export type TBulkLineResult =
  | { line: number; idempotencyKey?: string; status: "delivered" | "replayed"; receipt: TDocumentReceipt }
  | { line: number; idempotencyKey?: string; status: "refused"; error: TBulkLineError };

/** One raw input line (1-based line number in the request body). */
export type TBulkInputLine = { line: number; text: string };

export type DeliverBulkOptions = {
  partnerId: string;
  /** Raw NDJSON lines; the source may throw (e.g. PAYLOAD_TOO_LARGE) — see {@link startBulkDelivery}. */
  lines: AsyncIterable<TBulkInputLine>;
  trustAnchors: Uint8Array[];
  issuerCrls?: Uint8Array[];
  requestMetadata?: TRequestMetadata;
  now?: Date;
  batchSize?: number;
  /** The delivering credential's mode: each line's recipient must be on its side (as deliverDocument). */
  credentialMode?: TCredentialMode;
  /**
   * The run's cache of signer paths and revocation answers (one per run; default a new one per
   * request). A caller that splits one run into several requests (an order's pages) may share one.
   */
  validationCache?: SignerValidationCache;
};

type TPartner = { id: string; slug: string; kind: string; name: string; nameEn: string };

/** A line that passed every check that needs no database: ready to be written. */
type TPrepared = {
  line: number;
  idempotencyKey?: string;
  requestHash: string;
  request: TDeliverDocumentRequest;
  typeId: string;
  domain: string;
  canonical: Uint8Array;
  signature: Uint8Array<ArrayBuffer>;
  stored: TStoredVerificationReport;
  signedAt: Date | null;
  searchText: string;
  searchGrams: string[];
  attachments: { filename: string; mimeType: string; size: number; sha256: string; content: Uint8Array<ArrayBuffer> }[];
};

type TStoredResponse = { receipt: TDocumentReceipt };

/** ISO 8601 instants to the UTC timestamp(3) columns Prisma writes. */
const utc = (col: string) => `(x."${col}"::timestamptz AT TIME ZONE 'UTC')`;

/** Inserts DeliveryRequest rows from one jsonb array. */
const INSERT_DELIVERY_REQUESTS_SQL = `
INSERT INTO "DeliveryRequest" ("id", "partnerId", "idempotencyKey", "requestHash", "responseStatus", "response",
  "documentId", "createdAt")
SELECT x."id", x."partnerId", x."idempotencyKey", x."requestHash", x."responseStatus", x."response", x."documentId",
  ${utc("createdAt")}
FROM jsonb_to_recordset($1::jsonb) AS x("id" uuid, "partnerId" uuid, "idempotencyKey" text, "requestHash" text,
  "responseStatus" integer, "response" jsonb, "documentId" uuid, "createdAt" text)`;

/**
 * A unique violation, from a Prisma call (P2002) or a raw statement (P2010 carrying the driver
 * adapter's UniqueConstraintViolation / SQLSTATE 23505).
 */
function isUniqueViolation(err: unknown): boolean {
  if (!(err instanceof Prisma.PrismaClientKnownRequestError)) return false;
  if (err.code === "P2002") return true;
  const text = JSON.stringify(err.meta ?? {});
  return err.code === "P2010" && (text.includes("UniqueConstraintViolation") || text.includes("23505"));
}

/** The SQLSTATE of a PostgreSQL error as Prisma's pg driver adapter reports it, if any. */
function sqlStateOf(err: unknown): string | undefined {
  if (!(err instanceof Prisma.PrismaClientKnownRequestError)) return undefined;
  const cause = (
    err.meta as { driverAdapterError?: { cause?: { originalCode?: unknown; code?: unknown } } } | undefined
  )?.driverAdapterError?.cause;
  const code = cause?.originalCode ?? cause?.code;
  return typeof code === "string" ? code : undefined;
}

/**
 * A failure caused by the rows being written, not by the database: a data exception (SQLSTATE
 * class 22), an integrity violation other than the idempotency key's (23, not 23505), or a
 * trigger's or check's own refusal (P0001). Such a batch is written again line by line so the
 * line that cannot be stored is refused alone. Anything else (connection lost, shutdown, out of
 * resources, a timeout) is the database's fault: the delivery stops there.
 */
function isRowFault(err: unknown): boolean {
  const state = sqlStateOf(err);
  if (!state) return false;
  return state.startsWith("22") || (state.startsWith("23") && state !== "23505") || state === "P0001";
}

/** Inserts MailboxDocument rows from one jsonb array (columns as in prisma/schema/mailbox.prisma). */
const INSERT_DOCUMENTS_SQL = `
INSERT INTO "MailboxDocument" ("id", "residentId", "issuerPartnerId", "type", "domain", "payload", "payloadHash",
  "signature", "verificationReport", "signatureValid", "signedAt", "actions", "deadline", "expiresAt", "language",
  "keepAfterRelationshipEnds", "labels", "searchText", "searchGrams", "createdAt")
SELECT x."id", x."residentId", x."issuerPartnerId", x."type", x."domain", x."payload", x."payloadHash",
  decode(x."signature", 'base64'), x."verificationReport", x."signatureValid", ${utc("signedAt")}, x."actions",
  ${utc("deadline")}, ${utc("expiresAt")}, x."language", x."keepAfterRelationshipEnds", x."labels", x."searchText",
  x."searchGrams", ${utc("createdAt")}
FROM jsonb_to_recordset($1::jsonb) AS x("id" uuid, "residentId" uuid, "issuerPartnerId" uuid, "type" text,
  "domain" text, "payload" jsonb, "payloadHash" text, "signature" text, "verificationReport" jsonb,
  "signatureValid" boolean, "signedAt" text, "actions" jsonb, "deadline" text, "expiresAt" text, "language" text,
  "keepAfterRelationshipEnds" boolean, "labels" text[], "searchText" text, "searchGrams" text[], "createdAt" text)`;

function lineError(err: unknown): TBulkLineError {
  if (err instanceof AppError) {
    return { code: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) };
  }
  log.error(errorFields(err), "bulk line failed");
  return { code: "INTERNAL", message: "Something went wrong on our side." };
}

function validationError(error: z.ZodError, prefix: string[] = []): AppError {
  return validationFailed(error, { prefix });
}

/** What a failure log may keep of a line that did not parse: its key and document, if any. */
function rawLineOf(text: string): { key: unknown; document: unknown } {
  try {
    const json: unknown = JSON.parse(text);
    if (json && typeof json === "object") {
      const o = json as Record<string, unknown>;
      return { key: o.idempotencyKey, document: o.document };
    }
  } catch {
    // not JSON: nothing to keep
  }
  return { key: undefined, document: undefined };
}

/** Parses one line and checks its envelope (JSON, line schema); throws BAD_JSON / VALIDATION_FAILED. */
function parseLine(text: string): { line: TBulkDeliveryLine; requestHash: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new AppError("BAD_JSON", { message: err instanceof Error ? err.message : "The line is not JSON." });
  }
  assertSafeJson(json);
  const parsed = ZBulkDeliveryLine.safeParse(json);
  if (!parsed.success) throw validationError(parsed.error);
  // Same hash as POST /api/v1/documents: the canonical document (the key is not part of it).
  return { line: parsed.data, requestHash: sha256Hex(canonicalJsonBytes(parsed.data.document)) };
}

/**
 * The database-free checks of deliverDocument, in the same order and with the same codes:
 * type, payload schema, attachments, the detached CMS signature over the RFC 8785 payload
 * (RFC 5652 §5.6, CAdES-BES) and the signer's organisation = the sending partner.
 */
async function prepare(
  partner: TPartner,
  input: { line: number; idempotencyKey?: string; requestHash: string; request: TDeliverDocumentRequest },
  trust: TIssuerTrust,
  now: Date,
): Promise<TPrepared> {
  const { request } = input;
  const type = findDocumentType(request.type);
  if (!type) throw new AppError("DOCUMENT_TYPE_UNKNOWN", { details: { type: request.type } });
  const payload = type.schema.safeParse(request.payload);
  if (!payload.success) throw validationError(payload.error, ["document", "payload"]);
  const attachments = (request.attachments ?? []).map((a, i) => {
    const content = new Uint8Array(Buffer.from(a.contentBase64, "base64"));
    if (content.length > MAX_ATTACHMENT_BYTES) {
      throw new AppError("ATTACHMENT_TOO_LARGE", {
        details: { index: i, size: content.length, max: MAX_ATTACHMENT_BYTES },
      });
    }
    const mimeType = sniffAttachment(content, a.mimeType);
    return { filename: a.filename, mimeType, size: content.length, sha256: sha256Hex(content), content };
  });
  const canonical = canonicalJsonBytes(request.payload);
  const signature = new Uint8Array(Buffer.from(request.signature, "base64"));
  const { stored, signedAt } = await verifyIssuerSignature({
    canonicalPayload: canonical,
    signature: signature,
    partnerSlug: partner.slug,
    trust,
    now,
  });
  const { searchText, searchGrams } = buildSearchText({
    type,
    payload: payload.data,
    issuerName: partner.name,
    issuerNameEn: partner.nameEn,
    labels: request.metadata?.labels ?? [],
  });
  return {
    ...input,
    typeId: type.id,
    domain: type.domain,
    canonical,
    signature,
    stored,
    signedAt,
    searchText,
    searchGrams,
    attachments,
  };
}

/** Resolves recipients of a batch: partnerRef through the resident's link, registry numbers for GOVERNMENT only. */
async function resolveRecipients(
  tx: Prisma.TransactionClient,
  partner: TPartner,
  items: TPrepared[],
  mode: TCredentialMode | undefined,
): Promise<Map<TPrepared, string | AppError>> {
  const refs = new Set<string>();
  const registry = new Set<string>();
  for (const p of items) {
    if ("registryNumber" in p.request.recipient) registry.add(p.request.recipient.registryNumber);
    else refs.add(p.request.recipient.partnerRef);
  }
  const links = refs.size
    ? await tx.partnerResidentLink.findMany({
        where: { partnerId: partner.id, partnerRef: { in: [...refs] }, revokedAt: null },
        select: { partnerRef: true, residentId: true, purposes: true, resident: { select: { sandbox: true } } },
      })
    : [];
  const byRef = new Map(
    links.map((l) => [
      l.partnerRef,
      { id: l.residentId, sandbox: l.resident.sandbox, deliver: linkAllows(l, "deliver") },
    ]),
  );
  const residents =
    registry.size && partner.kind === "GOVERNMENT"
      ? await tx.resident.findMany({
          where: { registryNumber: { in: [...registry] }, leftAt: null },
          select: { registryNumber: true, id: true, sandbox: true },
        })
      : [];
  const byRegistry = new Map(residents.map((r) => [r.registryNumber ?? "", r]));
  const out = new Map<TPrepared, string | AppError>();
  const reach = (resident: { id: string; sandbox: boolean; deliver?: boolean } | undefined): string | AppError => {
    if (!resident) return new AppError("RECIPIENT_NOT_LINKED");
    if (resident.deliver === false) return linkPurposeRefusal("deliver");
    return (mode && residentModeMismatch(mode, resident)) || resident.id;
  };
  for (const p of items) {
    const r = p.request.recipient;
    if ("registryNumber" in r) {
      if (partner.kind !== "GOVERNMENT") {
        out.set(
          p,
          new AppError("RECIPIENT_ADDRESSING_FORBIDDEN", {
            message: "Only the municipality may address residents by registry number; use your partnerRef.",
          }),
        );
      } else out.set(p, reach(byRegistry.get(r.registryNumber)));
    } else out.set(p, reach(byRef.get(r.partnerRef)));
  }
  return out;
}

type TBulkContext = {
  prisma: PrismaClient;
  partner: TPartner;
  options: DeliverBulkOptions;
  now: Date;
  bulkId: string;
  /** DeliveryFailure rows written so far for lines that never parsed into a document. */
  malformedRecorded: number;
};

/**
 * At most this many DeliveryFailure rows per bulk request for lines that are not a delivery at
 * all (not JSON, not the line schema, forbidden characters): each is still answered in the
 * response, but a request of 10,000 junk lines must not write 10,000 rows. Refused deliveries
 * (a parsed document refused for its signature, recipient, …) are always recorded.
 */
export const MAX_MALFORMED_FAILURES_RECORDED = 20;

/**
 * Writes one batch in one transaction: the documents, their attachments and idempotency
 * records, and one `document.delivered` audit event per document, all appended by one
 * appendAuditEvents call (one chain lock, one multi-row INSERT; verifyAuditChain and the
 * residents' access logs see ordinary events).
 * A line whose recipient is not linked is refused and writes nothing; the rest commit together.
 */
async function writeBatch(ctx: TBulkContext, items: TPrepared[]): Promise<Map<TPrepared, TBulkLineResult>> {
  const { prisma, partner, now } = ctx;
  return prisma.$transaction(
    async (tx) => {
      const results = new Map<TPrepared, TBulkLineResult>();
      const recipients = await resolveRecipients(tx, partner, items, ctx.options.credentialMode);
      const docs: { item: TPrepared; id: string; residentId: string; receipt: TDocumentReceipt }[] = [];
      for (const item of items) {
        const r = recipients.get(item)!;
        if (r instanceof AppError) {
          results.set(item, {
            line: item.line,
            idempotencyKey: item.idempotencyKey,
            status: "refused",
            error: lineError(r),
          });
          continue;
        }
        const id = randomUUID();
        const m = item.request.metadata ?? {};
        const receipt = toDocumentReceipt(
          {
            id,
            type: item.typeId,
            createdAt: now,
            readAt: null,
            expiresAt: m.expiresAt ? new Date(m.expiresAt) : null,
            payloadHash: sha256Hex(item.canonical),
            signatureValid: item.stored.valid,
            signedAt: item.signedAt,
            verificationReport: item.stored,
            _count: { shares: 0 },
          },
          now,
        );
        docs.push({ item, id, residentId: r, receipt });
        results.set(item, { line: item.line, idempotencyKey: item.idempotencyKey, status: "delivered", receipt });
      }
      if (docs.length === 0) return results;

      // One statement with one jsonb parameter: Prisma's createMany serialises 200 wide rows
      // argument by argument, which cost more than the insert itself (bench/mailbox-deliver.ts --bulk).
      await tx.$executeRawUnsafe(
        INSERT_DOCUMENTS_SQL,
        JSON.stringify(
          docs.map(({ item, id, residentId, receipt }) => {
            const m = item.request.metadata ?? {};
            return {
              id,
              residentId,
              issuerPartnerId: partner.id,
              type: item.typeId,
              domain: item.domain,
              payload: item.request.payload,
              payloadHash: receipt.payloadHash,
              signature: Buffer.from(item.signature).toString("base64"),
              verificationReport: item.stored,
              signatureValid: item.stored.valid,
              signedAt: item.signedAt?.toISOString() ?? null,
              actions: m.actions ?? [],
              deadline: m.deadline ? new Date(m.deadline).toISOString() : null,
              expiresAt: m.expiresAt ? new Date(m.expiresAt).toISOString() : null,
              language: m.language ?? "ja",
              keepAfterRelationshipEnds: m.keepAfterRelationshipEnds ?? false,
              labels: m.labels ?? [],
              searchText: item.searchText,
              searchGrams: item.searchGrams,
              createdAt: now.toISOString(),
            };
          }),
        ),
      );
      const attachments = docs.flatMap(({ item, id }) => item.attachments.map((a) => ({ ...a, documentId: id })));
      if (attachments.length) await tx.documentAttachment.createMany({ data: attachments });
      const keyed = docs.filter((d) => d.item.idempotencyKey);
      if (keyed.length) {
        await tx.$executeRawUnsafe(
          INSERT_DELIVERY_REQUESTS_SQL,
          JSON.stringify(
            keyed.map(({ item, id, receipt }) => ({
              id: randomUUID(),
              partnerId: partner.id,
              idempotencyKey: item.idempotencyKey,
              requestHash: item.requestHash,
              responseStatus: 201,
              response: { receipt } satisfies TStoredResponse,
              documentId: id,
              createdAt: now.toISOString(),
            })),
          ),
        );
      }
      // The "a document arrived" e-mails, sent after commit (lib/notifications).
      await enqueueDocumentNotifications(
        tx,
        docs.map(({ item, id, residentId }) => ({
          residentId,
          documentId: id,
          documentType: item.typeId,
          issuerName: partner.name,
          issuerNameEn: partner.nameEn,
        })),
        now,
      );

      // The audit section last: the chain lock is held from here to commit (append-audit-event.ts).
      const md = ctx.options.requestMetadata;
      await appendAuditEvents(
        tx,
        docs.map(({ item, id, residentId, receipt }) => ({
          type: "document.delivered",
          actor: { type: "partner", id: partner.id },
          subjectResidentId: residentId,
          purpose: "書類の配信",
          channel: "api",
          ...(md ? { requestMetadata: md } : {}),
          data: {
            documentId: id,
            type: item.typeId,
            payloadHash: receipt.payloadHash,
            attachments: item.attachments.length,
            bulkId: ctx.bulkId,
            ...(item.idempotencyKey ? { idempotencyKey: item.idempotencyKey } : {}),
          },
        })),
      );
      return results;
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
}

/** Stored answers for keys already used by this partner: replay (same body) or IDEMPOTENCY_KEY_REUSED. */
async function lookupKeys(
  prisma: PrismaClient,
  partnerId: string,
  keys: string[],
): Promise<Map<string, { requestHash: string; receipt: TDocumentReceipt }>> {
  if (keys.length === 0) return new Map();
  const rows = await prisma.deliveryRequest.findMany({
    where: { partnerId, idempotencyKey: { in: keys } },
    select: { idempotencyKey: true, requestHash: true, response: true },
  });
  return new Map(
    rows.map((r) => [
      r.idempotencyKey,
      { requestHash: r.requestHash, receipt: (r.response as TStoredResponse).receipt },
    ]),
  );
}

/** Yields to the event loop so a batch's transaction makes progress while the next one is verified. */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

type TParsed =
  | { line: number; ok: true; idempotencyKey?: string; requestHash: string; request: TDeliverDocumentRequest }
  | {
      line: number;
      ok: false;
      idempotencyKey?: string;
      error: TBulkLineError;
      raw: { key: unknown; document: unknown };
    };

/**
 * Processes one batch: idempotency (stored keys and keys repeated inside the request), the
 * CPU-bound checks, then one transaction. Returns the results in input order.
 */
/** A batch's answers, and the database fault that stopped the delivery in it, if any. */
type TBatchOutcome = { results: TBulkLineResult[]; fault?: unknown };

/** The answer of a verified line that was not written because the delivery stopped on a database fault. */
function notStored(item: Pick<TPrepared, "line" | "idempotencyKey">): TBulkLineResult {
  return {
    line: item.line,
    idempotencyKey: item.idempotencyKey,
    status: "refused",
    error: lineError(new AppError("DELIVERY_NOT_STORED")),
  };
}

/**
 * Writes verified lines in one transaction, retrying without the lines whose idempotency key
 * another request committed meanwhile (answered as its replay, or IDEMPOTENCY_KEY_REUSED).
 * Other errors are thrown.
 */
async function writeKeyedBatch(ctx: TBulkContext, items: TPrepared[]): Promise<Map<TPrepared, TBulkLineResult>> {
  const out = new Map<TPrepared, TBulkLineResult>();
  let fresh = items;
  for (let attempt = 1; ; attempt++) {
    try {
      for (const [item, r] of await writeBatch(ctx, fresh)) out.set(item, r);
      return out;
    } catch (err) {
      if (!isUniqueViolation(err) || attempt >= 5) throw err;
      const again = await lookupKeys(
        ctx.prisma,
        ctx.partner.id,
        fresh.flatMap((item) => (item.idempotencyKey ? [item.idempotencyKey] : [])),
      );
      const next: TPrepared[] = [];
      for (const item of fresh) {
        const prior = item.idempotencyKey ? again.get(item.idempotencyKey) : undefined;
        if (!prior) next.push(item);
        else if (prior.requestHash === item.requestHash) {
          out.set(item, {
            line: item.line,
            idempotencyKey: item.idempotencyKey,
            status: "replayed",
            receipt: prior.receipt,
          });
        } else {
          out.set(item, {
            line: item.line,
            idempotencyKey: item.idempotencyKey,
            status: "refused",
            error: lineError(
              new AppError("IDEMPOTENCY_KEY_REUSED", { details: { idempotencyKey: item.idempotencyKey } }),
            ),
          });
        }
      }
      fresh = next;
    }
  }
}

/**
 * Writes a batch so that every line gets exactly one true answer. A row the database refuses
 * (isRowFault) voids only its own line: the batch is written again line by line and that line is
 * DOCUMENT_NOT_STORABLE. A database fault (anything else) stops the delivery: the lines not
 * committed are DELIVERY_NOT_STORED and the fault is returned, so that nothing after it is
 * written and a retry with the same idempotency keys completes exactly what is missing.
 */
async function writeBatchIsolatingRows(
  ctx: TBulkContext,
  items: TPrepared[],
): Promise<{ results: Map<TPrepared, TBulkLineResult>; fault?: unknown }> {
  if (items.length === 0) return { results: new Map() };
  try {
    return { results: await writeKeyedBatch(ctx, items) };
  } catch (err) {
    const results = new Map<TPrepared, TBulkLineResult>();
    if (!isRowFault(err)) {
      for (const item of items) results.set(item, notStored(item));
      return { results, fault: err };
    }
    for (const [n, item] of items.entries()) {
      try {
        for (const [i, r] of await writeKeyedBatch(ctx, [item])) results.set(i, r);
      } catch (one) {
        if (isRowFault(one)) {
          log.warn({ bulkId: ctx.bulkId, line: item.line, ...errorFields(one) }, "bulk line refused by the database");
          results.set(item, {
            line: item.line,
            idempotencyKey: item.idempotencyKey,
            status: "refused",
            error: lineError(new AppError("DOCUMENT_NOT_STORABLE")),
          });
          continue;
        }
        for (const rest of items.slice(n)) results.set(rest, notStored(rest));
        return { results, fault: one };
      }
    }
    return { results };
  }
}

async function processBatch(
  ctx: TBulkContext,
  batch: TParsed[],
  seen: Map<string, { requestHash: string; result?: TBulkLineResult }>,
  pendingWrite: Promise<TBatchOutcome | undefined>,
): Promise<{ verified: Promise<TBatchOutcome> }> {
  const { prisma, partner, now } = ctx;
  const keys = [...new Set(batch.flatMap((b) => (b.ok && b.idempotencyKey ? [b.idempotencyKey] : [])))];
  // Keys of the previous batch (maybe not committed yet) are in `seen`; other requests' keys
  // that commit meanwhile surface as P2002 below.
  const stored = await lookupKeys(prisma, partner.id, keys);
  const results = new Array<TBulkLineResult | undefined>(batch.length);
  /** Lines that repeat a key of an earlier line of this request: answered after their first line. */
  const repeats: { index: number; key: string }[] = [];
  const toPrepare: { index: number; p: Extract<TParsed, { ok: true }> }[] = [];
  for (const [index, b] of batch.entries()) {
    if (!b.ok) {
      results[index] = { line: b.line, idempotencyKey: b.idempotencyKey, status: "refused", error: b.error };
      continue;
    }
    const key = b.idempotencyKey;
    if (key) {
      const prior = stored.get(key) ?? seen.get(key);
      if (prior && prior.requestHash !== b.requestHash) {
        results[index] = {
          line: b.line,
          idempotencyKey: key,
          status: "refused",
          error: lineError(new AppError("IDEMPOTENCY_KEY_REUSED", { details: { idempotencyKey: key } })),
        };
        continue;
      }
      const storedReceipt = stored.get(key)?.receipt;
      if (storedReceipt) {
        results[index] = { line: b.line, idempotencyKey: key, status: "replayed", receipt: storedReceipt };
        continue;
      }
      if (seen.has(key)) {
        repeats.push({ index, key });
        continue;
      }
      seen.set(key, { requestHash: b.requestHash });
    }
    toPrepare.push({ index, p: b });
  }

  const prepared: { index: number; item: TPrepared }[] = [];
  for (const [n, { index, p }] of toPrepare.entries()) {
    try {
      prepared.push({ index, item: await prepare(partner, p, ctx.options, now) });
    } catch (err) {
      results[index] = { line: p.line, idempotencyKey: p.idempotencyKey, status: "refused", error: lineError(err) };
    }
    if (n % 8 === 7) await tick();
  }

  const verified = (async (): Promise<TBatchOutcome> => {
    // Batches commit in input order: the chain lock is taken once per batch, and repeated keys
    // find their first line's result. After a batch that stopped on a database fault nothing
    // more is written: this batch's lines are answered DELIVERY_NOT_STORED.
    const previous = await pendingWrite;
    let fault = previous?.fault;
    if (fault !== undefined) {
      for (const { index, item } of prepared) results[index] = notStored(item);
    } else {
      const written = await writeBatchIsolatingRows(
        ctx,
        prepared.map((p) => p.item),
      );
      fault = written.fault;
      for (const { index, item } of prepared) results[index] = written.results.get(item);
    }
    for (const { index, item } of prepared) {
      const r = results[index];
      if (item.idempotencyKey && r) seen.set(item.idempotencyKey, { requestHash: item.requestHash, result: r });
    }
    for (const { index, key } of repeats) {
      const first = seen.get(key)?.result;
      const b = batch[index]!;
      if (first?.status === "delivered" || first?.status === "replayed") {
        results[index] = { line: b.line, idempotencyKey: key, status: "replayed", receipt: first.receipt };
      } else if (first?.status === "refused") {
        results[index] = { line: b.line, idempotencyKey: key, status: "refused", error: first.error };
      } else {
        // The first line with this key is in a later position of the same batch: not possible
        // (lines are processed in order), but answer rather than drop the line.
        results[index] = {
          line: b.line,
          idempotencyKey: key,
          status: "refused",
          error: lineError(new AppError("IDEMPOTENCY_KEY_REUSED", { details: { idempotencyKey: key } })),
        };
      }
    }
    // A first line refused before writing (bad signature, …) is remembered so its repeats agree.
    for (const { index, p } of toPrepare) {
      const r = results[index];
      if (p.idempotencyKey && r?.status === "refused" && !seen.get(p.idempotencyKey)?.result) {
        seen.set(p.idempotencyKey, { requestHash: p.requestHash, result: r });
      }
    }
    // "failed": each refused line becomes a DeliveryFailure, one insert after the batch's
    // transaction (delivery-failures.ts; never throws, never an idempotent answer).
    await recordDeliveryFailures(
      prisma,
      batch.flatMap((b, index) => {
        const r = results[index];
        if (r?.status !== "refused") return [];
        if (!b.ok) {
          if (ctx.malformedRecorded >= MAX_MALFORMED_FAILURES_RECORDED) return [];
          ctx.malformedRecorded += 1;
        }
        const raw = b.ok ? { key: b.idempotencyKey, document: b.request } : b.raw;
        return [
          {
            partnerId: partner.id,
            idempotencyKey: failureKeyOf(raw.key),
            ...failureSubjectOf(raw.document),
            errorCode: r.error.code,
            httpStatus: errorCodes[r.error.code]?.status ?? 500,
            bulkLine: b.line,
            bulkId: ctx.bulkId,
            createdAt: now,
          },
        ];
      }),
    );
    log.info(
      { bulkId: ctx.bulkId, partnerId: partner.id, fromLine: batch[0]?.line, ...tally(results) },
      fault === undefined ? "bulk batch written" : "bulk batch stopped on a database fault",
    );
    return { results: results.map((r) => r!), fault };
  })();
  // Awaited by the caller when it is this batch's turn to answer; until then a failure must not
  // count as unhandled.
  verified.catch(() => undefined);
  return { verified };
}

/**
 * Bulk delivery of signed documents (up to 10,000 per request, streamed). Checks the
 * partner now (PARTNER_INACTIVE before any result is sent), then returns the per-line results
 * as an async iterable in input order while reading the input lazily.
 *
 * Each line is `{ "idempotencyKey"?, "document": <the POST /api/v1/documents body> }` and is
 * checked exactly like a single delivery (same stable codes, plus BAD_JSON per line). Lines are
 * verified in batches of `batchSize`; a batch is written in one transaction while the next batch
 * is verified. A refused line writes nothing; delivered lines get their document, idempotency
 * record and `document.delivered` audit event together. A key repeated in the request answers
 * `replayed` with the first line's receipt (same document) or IDEMPOTENCY_KEY_REUSED (other).
 *
 * If `lines` throws (size cap, broken stream), the lines already read are finished and the
 * error is re-thrown to the caller after their results; more than MAX_BULK_DOCUMENTS lines is
 * PAYLOAD_TOO_LARGE the same way.
 */
export async function startBulkDelivery(
  prisma: PrismaClient,
  options: DeliverBulkOptions,
): Promise<AsyncIterable<TBulkLineResult>> {
  const now = options.now ?? new Date();
  const partner = await prisma.partner.findUnique({
    where: { id: options.partnerId },
    select: { id: true, slug: true, kind: true, name: true, nameEn: true, active: true },
  });
  if (!partner?.active) throw new AppError("PARTNER_INACTIVE");
  // Every line signed by the same certificate: its path and revocation are checked once per run.
  const run = { ...options, validationCache: options.validationCache ?? new SignerValidationCache() };
  const ctx: TBulkContext = { prisma, partner, options: run, now, bulkId: randomUUID(), malformedRecorded: 0 };
  const batchSize = options.batchSize ?? DEFAULT_BULK_BATCH_SIZE;
  log.info({ bulkId: ctx.bulkId, partnerId: partner.id, batchSize }, "bulk delivery started");
  const results = (async function* run() {
    const seen = new Map<string, { requestHash: string; result?: TBulkLineResult }>();
    let pending: Promise<TBatchOutcome> | undefined;
    let fault: unknown;
    const answer = async function* (outcome: Promise<TBatchOutcome>) {
      const { results: done, fault: f } = await outcome;
      yield* done;
      if (f !== undefined) fault ??= f;
    };
    let batch: TParsed[] = [];
    let count = 0;
    let sourceError: unknown;
    const iterator = options.lines[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<TBulkInputLine>;
      try {
        next = await iterator.next();
      } catch (err) {
        sourceError = err;
        break;
      }
      if (next.done) break;
      const { line, text } = next.value;
      if (text.trim() === "") continue;
      count += 1;
      if (count > MAX_BULK_DOCUMENTS) {
        sourceError = new AppError("PAYLOAD_TOO_LARGE", {
          message: `At most ${MAX_BULK_DOCUMENTS} documents per bulk request.`,
          details: { maxDocuments: MAX_BULK_DOCUMENTS, line },
        });
        await iterator.return?.();
        break;
      }
      let parsed: TParsed;
      try {
        const { line: l, requestHash } = parseLine(text);
        parsed = { line, ok: true, idempotencyKey: l.idempotencyKey, requestHash, request: l.document };
      } catch (err) {
        parsed = { line, ok: false, error: lineError(err), raw: rawLineOf(text) };
      }
      batch.push(parsed);
      if (batch.length >= batchSize) {
        const { verified } = await processBatch(ctx, batch, seen, pending ?? Promise.resolve(undefined));
        batch = [];
        if (pending) yield* answer(pending);
        pending = verified;
        // A database fault stopped the delivery: read no further (the batch just verified is
        // answered DELIVERY_NOT_STORED below).
        if (fault !== undefined) {
          await iterator.return?.();
          break;
        }
      }
    }
    if (batch.length && fault === undefined) {
      const { verified } = await processBatch(ctx, batch, seen, pending ?? Promise.resolve(undefined));
      if (pending) yield* answer(pending);
      pending = verified;
    }
    if (pending) yield* answer(pending);
    if (fault !== undefined) throw fault;
    if (sourceError !== undefined) throw sourceError;
  })();
  return logged(ctx, results);
}

/** Delivered, replayed and refused lines among `results`. */
function tally(
  results: (TBulkLineResult | undefined)[],
): { lines: number } & Record<TBulkLineResult["status"], number> {
  const counts = { lines: 0, delivered: 0, replayed: 0, refused: 0 };
  for (const r of results) {
    if (!r) continue;
    counts.lines += 1;
    counts[r.status] += 1;
  }
  return counts;
}

/** The results, passed through, with one line at the end: the totals, or the code that aborted it. */
async function* logged(ctx: TBulkContext, results: AsyncIterable<TBulkLineResult>): AsyncGenerator<TBulkLineResult> {
  const started = performance.now();
  const fields = { bulkId: ctx.bulkId, partnerId: ctx.partner.id };
  const totals = tally([]);
  let ended = false;
  try {
    for await (const r of results) {
      totals.lines += 1;
      totals[r.status] += 1;
      yield r;
    }
    ended = true;
    log.info({ ...fields, ...totals, durationMs: Math.round(performance.now() - started) }, "bulk delivery finished");
  } catch (err) {
    ended = true;
    const code = err instanceof AppError ? err.code : "INTERNAL";
    log.warn(
      { ...fields, ...totals, code, durationMs: Math.round(performance.now() - started) },
      "bulk delivery aborted",
    );
    throw err;
  } finally {
    if (!ended) {
      log.info(
        { ...fields, ...totals, durationMs: Math.round(performance.now() - started) },
        "bulk delivery cancelled",
      );
    }
  }
}
