import { z } from "zod";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { TRequestMetadata } from "../audit/schemas";
import { AppError } from "../errors/app-error";
import { ZSafeText } from "../http/safe-text";
import { hitRateLimit, rateLimitedError, type TRateLimitRule } from "../rate-limit/fixed-window";
import { reportsNow, type TReportsContext } from "./reports-context";
import { nearestSegment, roadGeometryOf } from "./road-match";

/** Most points in one batch (PROBE_BATCH_TOO_LARGE, 413). */
export const PROBE_BATCH_MAX_POINTS = 500;
/** Batches per vehicle per minute (one every 5 seconds on average); more is a flood: RATE_LIMITED (429). */
export const PROBE_BATCH_LIMIT: TRateLimitRule = { limit: 12, windowMs: 60 * 1000 };
/** Points older than this count for nothing on the board and are refused. */
export const PROBE_MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** Clock skew allowed for a vehicle's clock running ahead. */
export const PROBE_MAX_FUTURE_MS = 2 * 60 * 1000;

export const ZProbePoint = z.strictObject({
  recordedAt: z.iso.datetime({ offset: true }).meta({ description: "When the vehicle was there (RFC 3339)." }),
  latitude: z.number().finite().min(-90).max(90),
  longitude: z.number().finite().min(-180).max(180),
  speedKmh: z.number().finite().min(0).max(250),
});

export const ZProbeBatch = z.strictObject({
  vehicleRef: ZSafeText.pipe(z.string().trim().min(1).max(64)).meta({
    description: "Your own reference of the vehicle (e.g. a fleet number); never a driver or passenger.",
  }),
  points: z.array(ZProbePoint).min(1).max(PROBE_BATCH_MAX_POINTS),
});
export type TProbeBatch = z.input<typeof ZProbeBatch>;

export type TProbeResult = { accepted: number; matched: number; stored: boolean };

/**
 * A batch of a partner vehicle's positions and speeds. The batch size is checked before the rest
 * (PROBE_BATCH_TOO_LARGE), then the shape (VALIDATION_FAILED), each point's time
 * (PROBE_POINT_TIME_INVALID: in the future beyond {@link PROBE_MAX_FUTURE_MS} or older than
 * {@link PROBE_MAX_AGE_MS}) and the per-vehicle flood limit ({@link PROBE_BATCH_LIMIT},
 * RATE_LIMITED). Each point is matched to the nearest road segment within MATCH_DISTANCE_M.
 * A TEST credential's batch is checked and answered the same but not stored (`stored: false`): the
 * road board shows live vehicles only.
 */
export async function ingestProbeBatch(
  ctx: TReportsContext,
  o: { partnerId: string; credentialMode: "TEST" | "LIVE"; body: unknown; requestMetadata?: TRequestMetadata },
): Promise<TProbeResult> {
  const raw = o.body as { points?: unknown } | null;
  if (raw && Array.isArray(raw.points) && raw.points.length > PROBE_BATCH_MAX_POINTS) {
    throw new AppError("PROBE_BATCH_TOO_LARGE", { details: { maxPoints: PROBE_BATCH_MAX_POINTS } });
  }
  const batch = ZProbeBatch.parse(o.body);
  const now = reportsNow(ctx);
  for (const [i, p] of batch.points.entries()) {
    const at = new Date(p.recordedAt).getTime();
    if (at > now.getTime() + PROBE_MAX_FUTURE_MS || at < now.getTime() - PROBE_MAX_AGE_MS) {
      throw new AppError("PROBE_POINT_TIME_INVALID", { details: { index: i } });
    }
  }
  const hit = await hitRateLimit(ctx.prisma, {
    bucket: "probe.batch.vehicle",
    key: `${o.partnerId}:${batch.vehicleRef}`,
    rule: PROBE_BATCH_LIMIT,
    now,
  });
  if (!hit.allowed) throw rateLimitedError({ retryAfterSeconds: hit.retryAfterSeconds });

  const segments = (await ctx.prisma.roadSegment.findMany({ select: { id: true, geometry: true } })).map((s) => ({
    id: s.id,
    geometry: roadGeometryOf(s.geometry),
  }));
  const rows = batch.points.map((p) => ({
    partnerId: o.partnerId,
    vehicleRef: batch.vehicleRef,
    recordedAt: new Date(p.recordedAt),
    latitude: p.latitude,
    longitude: p.longitude,
    speedKmh: p.speedKmh,
    segmentId: nearestSegment(segments, p)?.id ?? null,
    receivedAt: now,
  }));
  const matched = rows.filter((r) => r.segmentId !== null).length;
  const stored = o.credentialMode === "LIVE";
  if (stored) {
    await ctx.prisma.$transaction(async (tx) => {
      await tx.probePoint.createMany({ data: rows });
      await appendAuditEvent(tx, {
        type: "road.probe_received",
        actor: { type: "partner", id: o.partnerId },
        channel: "api",
        requestMetadata: o.requestMetadata,
        data: { vehicleRef: batch.vehicleRef, points: rows.length, matched },
      });
    });
  }
  return { accepted: rows.length, matched, stored };
}
