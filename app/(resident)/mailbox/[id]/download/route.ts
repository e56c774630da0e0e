import { requireResident } from "@/app/_server/session";
import { getDb } from "@/lib/db/client";
import { AppError, toErrorResponse } from "@/lib/errors/app-error";
import { getDocumentOrThrow } from "@/lib/mailbox/get-document";
import { residentRequestContext } from "../../request-context";

export const dynamic = "force-dynamic";

// GET /mailbox/{id}/download – the signed document as JSON: payload, detached signature, report
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const resident = await requireResident();
  if (!resident) {
    const { status, body } = toErrorResponse(new AppError("UNAUTHENTICATED"));
    return Response.json(body, { status });
  }
  try {
    const { id } = await params;
    const { channel, requestMetadata } = await residentRequestContext();
    const doc = await getDocumentOrThrow(await getDb(), {
      residentId: resident.residentId,
      documentId: id,
      purpose: "download",
      channel,
      requestMetadata,
    });
    const bundle = {
      format: "ichimai-signed-document/1",
      id: doc.id,
      type: doc.type,
      issuer: doc.issuer,
      deliveredAt: doc.createdAt,
      payload: doc.payload,
      // Verify: canonicalise `payload` with RFC 8785, then check `signature.value` (CMS, detached) over those bytes.
      canonicalization: "RFC 8785 (JCS)",
      payloadHash: { algorithm: "SHA-256", value: doc.payloadHash },
      signature: { format: "CMS SignedData, CAdES-BES, detached, DER, base64", value: doc.signature },
      verification: doc.verification,
    };
    return new Response(JSON.stringify(bundle, null, 2), {
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": `attachment; filename="${doc.type}-${doc.id}.json"`,
        "Cache-Control": "no-store",
      },
    });
  } catch (err) {
    const { status, body } = toErrorResponse(err);
    return Response.json(body, { status });
  }
}
