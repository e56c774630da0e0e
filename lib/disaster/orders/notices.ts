import { canonicalJsonBytes } from "../../mailbox/canonical-json";
import { startBulkDelivery, type TBulkInputLine } from "../../mailbox/deliver-bulk";
import { AppError } from "../../errors/app-error";
import { SignerValidationCache, signCms } from "../../jpki";
import type { TTownSigner } from "../../services/applications/town-signer";
import { disasterNow } from "../context";
import type { TOrdersContext } from "./context";
import {
  instructionLanguage,
  LEVEL_ACTIONS,
  nearestSuitedShelters,
  type TDisasterHazard,
  type TTargetShelter,
} from "./targeting";

/** Orders at this level or above put a signed document in each resident's mailbox. */
export const DOCUMENT_MIN_LEVEL = 3;
/** Residents read per page; documents are signed and delivered in bulk batches of this size. */
const PAGE = 500;
/** Signatures computed concurrently (WebCrypto signs on the thread pool). */
const SIGN_CONCURRENCY = 16;
/** Pages delivered at once. */
const IN_FLIGHT = 2;

export type TNoticeOrder = {
  id: string;
  hazard: TDisasterHazard;
  level: 1 | 2 | 3 | 4 | 5;
  message: string;
  messageEn: string | null;
  issuedAt: Date;
  districtName: string;
};

export type TNoticeResident = {
  id: string;
  registryNumber: string;
  familyName: string;
  givenName: string;
  language: string;
  needs: string[];
  latitude: number | null;
  longitude: number | null;
};

/**
 * The 避難指示 payload for one resident: the order (level, hazard, district, the staff's message
 * and what to do at that level) and her own part, from her registry record: her name and the
 * nearest open shelters that suit her (targeting.ts), with distances.
 */
export function buildNoticePayload(
  order: TNoticeOrder,
  resident: TNoticeResident,
  shelters: readonly TTargetShelter[],
) {
  const home =
    resident.latitude !== null && resident.longitude !== null
      ? { latitude: resident.latitude, longitude: resident.longitude }
      : null;
  const mine = nearestSuitedShelters(
    { needs: resident.needs, language: resident.language, home },
    shelters,
    order.hazard,
  );
  const action = LEVEL_ACTIONS[order.level];
  return {
    level: order.level,
    hazard: order.hazard.toLowerCase() as Lowercase<TDisasterHazard>,
    issuedAt: order.issuedAt.toISOString(),
    districts: [order.districtName],
    shelters: mine.map((s) => ({ name: s.name, address: s.address })),
    instructions: `${action.ja}\n${order.message}`,
    instructionsEn: `${action.en}${order.messageEn ? `\n${order.messageEn}` : ""}`,
    recipientName: `${resident.familyName} ${resident.givenName}`,
    personalShelters: mine.map((s) => ({
      name: s.name,
      nameEn: s.nameEn,
      address: s.address,
      distanceKm: Math.round((s.distanceKm ?? 0) * 10) / 10,
    })),
  };
}

export type TDeliverNoticesResult = { residents: number; delivered: number; refused: number };

const NOTICE_UPSERT_SQL = `
INSERT INTO "EvacuationNotice" ("id", "orderId", "residentId", "level", "documentId", "deliveredAt", "emailQueuedAt", "createdAt")
SELECT gen_random_uuid(), x."orderId", x."residentId", x."level", x."documentId",
  (x."at"::timestamptz AT TIME ZONE 'UTC'), CASE WHEN x."documentId" IS NULL THEN NULL ELSE (x."at"::timestamptz AT TIME ZONE 'UTC') END,
  (x."at"::timestamptz AT TIME ZONE 'UTC')
FROM jsonb_to_recordset($1::jsonb) AS x("orderId" uuid, "residentId" uuid, "level" integer, "documentId" uuid, "at" text)
ON CONFLICT ("orderId", "residentId") DO UPDATE SET
  "level" = EXCLUDED."level",
  "documentId" = COALESCE(EXCLUDED."documentId", "EvacuationNotice"."documentId"),
  "deliveredAt" = EXCLUDED."deliveredAt",
  "emailQueuedAt" = COALESCE(EXCLUDED."emailQueuedAt", "EvacuationNotice"."emailQueuedAt"),
  "readAt" = CASE WHEN EXCLUDED."documentId" IS NULL THEN "EvacuationNotice"."readAt" ELSE NULL END,
  "emailSentAt" = CASE WHEN EXCLUDED."documentId" IS NULL THEN "EvacuationNotice"."emailSentAt" ELSE NULL END,
  "escalatedAt" = CASE WHEN EXCLUDED."documentId" IS NULL THEN "EvacuationNotice"."escalatedAt" ELSE NULL END`;

async function signAll(signer: TTownSigner, contents: Uint8Array[], at: Date): Promise<string[]> {
  const out = new Array<string>(contents.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < contents.length; i = next++) {
      const sig = await signCms({
        content: contents[i]!,
        signerCertificate: signer.certificate,
        privateKey: signer.privateKey,
        detached: true,
        signingTime: at,
      });
      out[i] = Buffer.from(sig).toString("base64");
    }
  };
  await Promise.all(Array.from({ length: Math.min(SIGN_CONCURRENCY, contents.length) }, worker));
  return out;
}

/**
 * Gives every resident of the order's district (real residents who have not left) her notice
 * for the order's current level, and records it in EvacuationNotice (one row per order and
 * resident; a new level resets read/escalation receipts). At level ≥ 3 each gets a personal
 * 避難指示 in her mailbox: built from her registry record, signed by the town (its
 * organisation certificate from the partner CA, as every town document) and delivered through
 * the mailbox's bulk delivery (verified, audited `document.delivered`, its "a document arrived"
 * e-mail queued in the same transaction). `eventId` (the order event) keys the deliveries, so a
 * retry delivers only what is missing.
 */
export async function deliverOrderNotices(
  ctx: TOrdersContext,
  o: { orderId: string; eventId: string },
): Promise<TDeliverNoticesResult> {
  const now = disasterNow(ctx);
  const row = await ctx.prisma.evacuationOrder.findUnique({
    where: { id: o.orderId },
    include: { district: { select: { name: true } } },
  });
  if (!row) throw new AppError("DISASTER_ORDER_NOT_FOUND");
  if (row.status !== "ACTIVE") throw new AppError("DISASTER_ORDER_LIFTED");
  const order: TNoticeOrder = {
    id: row.id,
    hazard: row.hazard,
    level: row.level as TNoticeOrder["level"],
    message: row.message,
    messageEn: row.messageEn,
    issuedAt: row.issuedAt,
    districtName: row.district.name,
  };
  const withDocuments = order.level >= DOCUMENT_MIN_LEVEL;
  const shelters = withDocuments
    ? await ctx.prisma.shelter.findMany({
        where: { open: true },
        select: {
          id: true,
          code: true,
          name: true,
          nameEn: true,
          kind: true,
          address: true,
          latitude: true,
          longitude: true,
          open: true,
          features: true,
          languages: true,
          hazards: true,
        },
      })
    : [];
  const signer = withDocuments ? await ctx.townSigner() : null;
  const town = signer
    ? await ctx.prisma.partner.findUnique({ where: { slug: signer.partnerSlug }, select: { id: true } })
    : null;
  if (signer && !town)
    throw new AppError("TOWN_SIGNER_UNAVAILABLE", { message: "The town's partner record is missing." });
  const trustAnchors = withDocuments ? await ctx.issuerTrustAnchors() : [];
  const issuerCrls = withDocuments && ctx.issuerCrls ? await ctx.issuerCrls() : undefined;

  // One run: the town's path and revocation (until the CRL's nextUpdate) are checked once for all pages.
  const validationCache = new SignerValidationCache();
  const result: TDeliverNoticesResult = { residents: 0, delivered: 0, refused: 0 };
  const readPage = (after: string | null) => ctx.prisma.$queryRaw<TNoticeResident[]>`
      SELECT r."id", r."registryNumber", r."familyName", r."givenName", r."language", r."needs",
             h."latitude", h."longitude"
        FROM "Resident" r JOIN "Household" h ON h."id" = r."householdId"
       WHERE r."districtId" = ${row.districtId}::uuid AND r."leftAt" IS NULL AND r."sandbox" = false
         AND (${after}::uuid IS NULL OR r."id" > ${after}::uuid)
       ORDER BY r."id" LIMIT ${PAGE}`;
  /** A page's bulk lines: her payload and the town's signature over it (none below level 3). */
  const prepare = async (page: TNoticeResident[]): Promise<TBulkInputLine[]> => {
    if (!signer) return [];
    const payloads = page.map((r) => buildNoticePayload(order, r, shelters));
    const signatures = await signAll(
      signer,
      payloads.map((p) => canonicalJsonBytes(p)),
      now,
    );
    return page.map((r, i) => ({
      line: i + 1,
      text: JSON.stringify({
        idempotencyKey: `evac-${o.eventId}-${r.id}`,
        document: {
          type: "evacuation-order",
          recipient: { registryNumber: r.registryNumber },
          payload: payloads[i],
          signature: signatures[i],
          metadata: { language: instructionLanguage(r.language), labels: ["防災"] },
        },
      }),
    }));
  };
  /** Verifies and writes one page through the mailbox's bulk delivery, then its notices. */
  const deliverPage = async (current: TNoticeResident[], lines: TBulkInputLine[]) => {
    result.residents += current.length;
    const documentOf = new Map<string, string>();
    if (town && lines.length > 0) {
      const results = await startBulkDelivery(ctx.prisma, {
        partnerId: town.id,
        lines: (async function* () {
          yield* lines;
        })(),
        trustAnchors,
        issuerCrls,
        validationCache,
        now,
        batchSize: PAGE,
      });
      for await (const r of results) {
        if (r.status === "refused") result.refused += 1;
        else {
          result.delivered += 1;
          documentOf.set(current[r.line - 1]!.id, r.receipt.id);
        }
      }
    }
    await ctx.prisma.$executeRawUnsafe(
      NOTICE_UPSERT_SQL,
      JSON.stringify(
        current.map((r) => ({
          orderId: order.id,
          residentId: r.id,
          level: order.level,
          documentId: documentOf.get(r.id) ?? null,
          at: now.toISOString(),
        })),
      ),
    );
  };
  // A pipeline: pages are read and signed ahead, and IN_FLIGHT pages are verified and written at
  // once (one page's database writes overlap another's signature checks; the audit chain lock
  // orders their commits).
  const inFlight: Promise<void>[] = [];
  let failure: unknown;
  let page = await readPage(null);
  while (page.length > 0 && failure === undefined) {
    const current = page;
    const lines = prepare(current);
    lines.catch(() => undefined); // awaited by its delivery; must not count as unhandled meanwhile
    page = await readPage(current[current.length - 1]!.id);
    const delivery = lines
      .then((l) => deliverPage(current, l))
      .catch((err: unknown) => {
        failure ??= err;
      });
    inFlight.push(delivery);
    if (inFlight.length >= IN_FLIGHT) await inFlight.shift();
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
  return result;
}
