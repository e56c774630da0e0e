import { deliverDocument } from "@/lib/mailbox/deliver-document";
import { failureCodeOf, failureSubjectOf, recordDeliveryFailures } from "@/lib/mailbox/delivery-failures";
import { readJsonBody } from "../_lib/read-json-body";
import { type TApiDeps, withPartner } from "../_lib/with-partner";
import { deliverDocumentMeta, MAX_DELIVER_BODY_BYTES, ZDeliverDocumentResponseSchema } from "./schema";

/** POST /api/v1/documents – deliver one signed document to a resident who linked the partner. */
export function createDeliverDocumentHandler(
  deps: TApiDeps,
  hooks: {
    /** Called after a new delivery committed (not on a replay), e.g. to kick the notification outbox. */
    afterCommit?: () => void;
  } = {},
) {
  return withPartner(deliverDocumentMeta.scope, deps, async (request, ctx) => {
    const idempotencyKey = request.headers.get("idempotency-key") ?? undefined;
    let body: unknown;
    try {
      body = await readJsonBody(request, MAX_DELIVER_BODY_BYTES);
    } catch (err) {
      // A body that is not JSON (or too large) is a refused delivery too: logged as "failed".
      await recordDeliveryFailures(ctx.prisma, [
        {
          partnerId: ctx.credential.partnerId,
          idempotencyKey,
          ...failureSubjectOf(undefined),
          ...failureCodeOf(err),
          createdAt: ctx.now,
        },
      ]);
      throw err;
    }
    const result = await deliverDocument(ctx.prisma, {
      partnerId: ctx.credential.partnerId,
      credentialMode: ctx.credential.mode,
      request: body,
      idempotencyKey,
      trustAnchors: await deps.getTrustAnchors(),
      issuerCrls: await deps.getIssuerCrls?.(),
      requestMetadata: ctx.requestMetadata,
      now: ctx.now,
    });
    if (!result.replayed) hooks.afterCommit?.();
    const receipt = ZDeliverDocumentResponseSchema.parse(result.receipt);
    const headers: Record<string, string> = { Location: `/api/v1/documents/${receipt.id}` };
    if (result.replayed) headers["Idempotent-Replayed"] = "true";
    return Response.json(receipt, { status: result.status, headers });
  });
}
