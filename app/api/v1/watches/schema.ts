import { z } from "zod";
import { ZCreateWatchRequest, ZWatch } from "@/lib/platform/schemas";
import { PARTNER_AUTH_ERRORS } from "../_lib/platform-api";
import type { TOperationMeta } from "../_lib/operation";

export const ZWatchListResponseSchema = z.object({ data: z.array(ZWatch) });

export const createWatchMeta: TOperationMeta = {
  method: "post",
  path: "/api/v1/watches",
  operationId: "createWatch",
  summary: "Watch a verified signing certificate (変更確認)",
  description: [
    "Registers the signing certificate of one of your verified identity verifications. The platform checks watched certificates against J-LIS on a schedule (the CRL, with every hit confirmed by OCSP) and, when one is revoked, sends your webhook endpoints a `certificate.revoked` event with the `reason` (`affiliationChanged`: one of the four facts changed, e.g. a move) and `revokedAt`. If the resident consented at J-LIS, the event also carries the `successor` certificate link and, if this registration was made with `identity:facts`, the `latestFacts` (never for a resident the municipality protects: 支援措置). The resident is told which partners were notified.",
    "Idempotent: registering the same certificate again returns the existing watch with 200.",
  ].join("\n\n"),
  scope: "change:watch",
  request: ZCreateWatchRequest,
  requestExample: { verificationId: "0b9c7f2e-4a51-4f7e-9d55-3a0e1c2b7d11" },
  responses: [
    { status: 201, description: "Now watched.", schema: ZWatch },
    { status: 200, description: "Already watched: the existing watch.", schema: ZWatch },
  ],
  errors: [
    ...PARTNER_AUTH_ERRORS,
    "BAD_JSON",
    "UNSUPPORTED_MEDIA_TYPE",
    "TEXT_CHARACTER_FORBIDDEN",
    "VALIDATION_FAILED",
    "WATCH_VERIFICATION_INVALID",
  ],
};

export const listWatchesMeta: TOperationMeta = {
  method: "get",
  path: "/api/v1/watches",
  operationId: "listWatches",
  summary: "List your watched certificates",
  description: "Newest first, at most 100; `?status=active|revoked|cancelled` filters.",
  scope: "change:watch",
  responses: [{ status: 200, description: "Your watches.", schema: ZWatchListResponseSchema }],
  errors: [...PARTNER_AUTH_ERRORS, "VALIDATION_FAILED"],
};
