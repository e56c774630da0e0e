import { requireResident } from "@/app/_server/session";
import { getDb } from "@/lib/db/client";
import { AppError, toErrorResponse } from "@/lib/errors/app-error";
import { getDocumentOrThrow } from "@/lib/mailbox/get-document";
import { signedBundleOfDetail, signedBundleResponse } from "@/lib/mailbox/signed-bundle";
import { residentRequestContext } from "@/app/_server/request-context";

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
    return signedBundleResponse(signedBundleOfDetail(doc));
  } catch (err) {
    const { status, body } = toErrorResponse(err);
    return Response.json(body, { status });
  }
}
