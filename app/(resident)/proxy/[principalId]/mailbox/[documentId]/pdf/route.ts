import { renderDocumentPdf } from "@/lib/mailbox/render-pdf";
import { proxyDownloadRoute } from "../proxy-document-route";

export const dynamic = "force-dynamic";

// GET /proxy/{principalId}/mailbox/{documentId}/pdf – the document as a PDF, for a proxy
export const GET = proxyDownloadRoute(
  "pdf",
  async (doc, locale) =>
    new Response(Buffer.from(await renderDocumentPdf(doc, { locale })), {
      headers: {
        "Content-Type": "application/pdf",
        "Content-Disposition": `attachment; filename="${doc.type}-${doc.id}.pdf"`,
        "Cache-Control": "no-store",
      },
    }),
);
