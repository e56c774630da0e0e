import { getLocale } from "next-intl/server";
import { requireResident } from "@/app/_server/session";
import { getDb } from "@/lib/db/client";
import { AppError, toErrorResponse } from "@/lib/errors/app-error";
import { getDocumentPdf } from "@/lib/mailbox/render-pdf";
import { residentRequestContext } from "@/app/_server/request-context";

export const dynamic = "force-dynamic";

// GET /mailbox/{id}/pdf – the document as a PDF (Japanese font embedded, signature status, QR of the hash)
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const resident = await requireResident();
  if (!resident) {
    const { status, body } = toErrorResponse(new AppError("UNAUTHENTICATED"));
    return Response.json(body, { status });
  }
  try {
    const { id } = await params;
    const { channel, requestMetadata } = await residentRequestContext();
    const locale = (await getLocale()) === "en" ? "en" : "ja";
    const { document, pdf } = await getDocumentPdf(await getDb(), {
      residentId: resident.residentId,
      documentId: id,
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
  } catch (err) {
    const { status, body } = toErrorResponse(err);
    return Response.json(body, { status });
  }
}
