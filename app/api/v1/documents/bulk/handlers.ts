import { toErrorResponse } from "@/lib/errors/app-error";
import { AppError } from "@/lib/errors/app-error";
import { createLog, errorFields } from "@/lib/log/logger";
import { bindRequestContext } from "@/lib/log/request-context";
import { startBulkDelivery, type TBulkLineResult } from "@/lib/mailbox/deliver-bulk";
import { type TApiDeps, withPartner } from "../../_lib/with-partner";
import { BULK_CONTENT_TYPE, deliverDocumentsBulkMeta, MAX_BULK_BODY_BYTES, MAX_BULK_LINE_BYTES } from "./schema";
import { readNdjsonLines } from "./read-ndjson-lines";

/**
 * POST /api/v1/documents/bulk – up to 10,000 signed documents as NDJSON, answered as NDJSON
 * while the body is still being read (results stream back batch by batch).
 */
export function createDeliverDocumentsBulkHandler(
  deps: TApiDeps,
  hooks: {
    /** Called after results of committed deliveries went out (e.g. kick the notification outbox). */
    afterCommit?: () => void;
  } = {},
) {
  return withPartner(deliverDocumentsBulkMeta.scope, deps, async (request, ctx) => {
    const mediaType = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
    if (mediaType !== BULK_CONTENT_TYPE) {
      throw new AppError("UNSUPPORTED_MEDIA_TYPE", { details: { expected: BULK_CONTENT_TYPE } });
    }
    const declared = Number(request.headers.get("content-length") ?? "NaN");
    if (Number.isFinite(declared) && declared > MAX_BULK_BODY_BYTES) {
      throw new AppError("PAYLOAD_TOO_LARGE", { details: { maxBytes: MAX_BULK_BODY_BYTES } });
    }
    if (!request.body) throw new AppError("BAD_JSON", { message: "The request has no body." });
    const results = await startBulkDelivery(ctx.prisma, {
      partnerId: ctx.credential.partnerId,
      credentialMode: ctx.credential.mode,
      lines: readNdjsonLines(request.body, { maxBytes: MAX_BULK_BODY_BYTES, maxLineBytes: MAX_BULK_LINE_BYTES }),
      trustAnchors: await deps.getTrustAnchors(),
      issuerCrls: await deps.getIssuerCrls?.(),
      requestMetadata: ctx.requestMetadata,
      now: ctx.now,
    });
    const encoder = new TextEncoder();
    const iterator = results[Symbol.asyncIterator]();
    const counts = { lines: 0, delivered: 0, replayed: 0, refused: 0 };
    let finished = false;
    const body = new ReadableStream<Uint8Array>({
      // Pulled by the server after the handler returned: keep the request's reqId on its lines.
      pull: bindRequestContext(async (controller: ReadableStreamDefaultController<Uint8Array>) => {
        if (finished) return;
        // One network chunk per batch of results rather than per line.
        const out: string[] = [];
        try {
          for (;;) {
            const next = await iterator.next();
            if (next.done) {
              out.push(JSON.stringify({ summary: counts }));
              finished = true;
              break;
            }
            const r: TBulkLineResult = next.value;
            counts.lines += 1;
            counts[r.status] += 1;
            out.push(JSON.stringify(r));
            if (out.length >= 200) break;
          }
        } catch (err) {
          const { body: e } = toErrorResponse(err);
          if (!(err instanceof AppError)) createLog("api/v1").error(errorFields(err), "bulk delivery aborted");
          const { docUrl: _d, ...aborted } = e.error;
          out.push(JSON.stringify({ summary: { ...counts, aborted } }));
          finished = true;
        }
        controller.enqueue(encoder.encode(`${out.join("\n")}\n`));
        if (counts.delivered > 0) hooks.afterCommit?.();
        if (finished) controller.close();
      }),
      async cancel() {
        await iterator.return?.();
      },
    });
    return new Response(body, {
      status: 200,
      headers: { "content-type": `${BULK_CONTENT_TYPE}; charset=utf-8`, "cache-control": "no-store" },
    });
  });
}
