import { residentRoute } from "@/app/_server/route";
import { getDb } from "@/lib/db/client";
import { getDocumentOrThrow } from "@/lib/mailbox/get-document";
import { signedBundleOfDetail, signedBundleResponse } from "@/lib/mailbox/signed-bundle";

export const dynamic = "force-dynamic";

// GET /mailbox/{id}/download – the signed document as JSON: payload, detached signature, report
export const GET = residentRoute<Request, { id: string }>(
  async (_request, { resident, params, channel, requestMetadata }) => {
    const doc = await getDocumentOrThrow(await getDb(), {
      residentId: resident.residentId,
      documentId: params.id,
      purpose: "download",
      channel,
      requestMetadata,
    });
    return signedBundleResponse(signedBundleOfDetail(doc));
  },
);
