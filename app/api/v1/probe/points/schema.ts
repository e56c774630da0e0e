import { z } from "zod";
import { PROBE_BATCH_MAX_POINTS, ZProbeBatch } from "@/lib/reports/probe";
import type { TOperationMeta } from "../../_lib/operation";
import { PARTNER_AUTH_ERRORS } from "../../_lib/platform-api";

export const ZProbeReceipt = z.object({
  object: z.literal("probe_receipt"),
  accepted: z.number().int().meta({ description: "Points accepted (all of the batch)." }),
  matched: z.number().int().meta({ description: "Points matched to a road segment (within 40 m)." }),
  stored: z.boolean().meta({ description: "false for a TEST credential: checked, not stored." }),
});

export const postProbePointsMeta: TOperationMeta = {
  method: "post",
  path: "/api/v1/probe/points",
  operationId: "postProbePoints",
  summary: "Post a batch of a vehicle's positions and speeds (probe data)",
  description: `For bus and taxi operators: up to ${PROBE_BATCH_MAX_POINTS} points of one vehicle, each with its time, position and speed. Points are matched to the nearest road segment within 40 m and feed the town's road board (congestion from the median speed of the last 15 minutes). At most 12 batches a minute per vehicle (one every 5 seconds on average); more answers 429 RATE_LIMITED with Retry-After. Times may be up to 24 hours old and 2 minutes ahead. A TEST credential's batch is checked and answered but not stored.`,
  scope: "probe:write",
  request: ZProbeBatch,
  requestExample: {
    vehicleRef: "1号車",
    points: [{ recordedAt: "2026-12-08T09:00:00+09:00", latitude: 33.905, longitude: 134.61, speedKmh: 23.5 }],
  },
  responses: [{ status: 202, description: "The batch was accepted.", schema: ZProbeReceipt }],
  errors: [
    ...PARTNER_AUTH_ERRORS,
    "BAD_JSON",
    "UNSUPPORTED_MEDIA_TYPE",
    "PAYLOAD_TOO_LARGE",
    "TEXT_CHARACTER_FORBIDDEN",
    "VALIDATION_FAILED",
    "PROBE_BATCH_TOO_LARGE",
    "PROBE_POINT_TIME_INVALID",
  ],
};
