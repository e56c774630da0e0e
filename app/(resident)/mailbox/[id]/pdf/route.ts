import { getLocale } from "next-intl/server";
import { residentRoute } from "@/app/_server/route";
import { getDb } from "@/lib/db/client";
import { getDocumentPdf } from "@/lib/mailbox/render-pdf";

export const dynamic = "force-dynamic";

// GET /mailbox/{id}/pdf – the document as a PDF (Japanese font embedded, signature status, QR of the hash)
export const GET = residentRoute<Request, { id: string }>(
  async (_request, { resident, params, channel, requestMetadata }) => {
    const locale = (await getLocale()) === "en" ? "en" : "ja";
    const { document, pdf } = await getDocumentPdf(await getDb(), {
      residentId: resident.residentId,
      documentId: params.id,
      locale,
      channel,
      requestMetadata,
    });
    return new Response(Buffer.from(pdf), {
      headers: {
        "Content-Type": "application/pdf",
        "Content-Disposition": `attachment; filename="${document.type}-${document.id}.pdf"`,
        "Cache-Control": "no-store",
      },
    });
  },
);
