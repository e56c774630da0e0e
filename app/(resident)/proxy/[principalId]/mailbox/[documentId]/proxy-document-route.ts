import { getLocale } from "next-intl/server";
import { requireCardResident } from "@/app/_server/session";
import { getDb } from "@/lib/db/client";
import { kickNotificationMail } from "@/lib/notifications/smtp-transport";
import { AppError, toErrorResponse } from "@/lib/errors/app-error";
import type { TLocale } from "@/lib/i18n/locales";
import { getProxyDocumentOrThrow, type TProxyDocumentDetail } from "@/lib/proxies/get-proxy-document";
import { residentRequestContext } from "@/app/_server/request-context";

type TParams = { params: Promise<{ principalId: string; documentId: string }> };

/**
 * A proxy's download of one of the principal's documents: card login (as the proxy pages), the
 * grant's scope checked in lib, audited as a download and notified to the principal. `respond`
 * turns the detail into the file.
 */
export function proxyDownloadRoute(
  format: "json" | "pdf",
  respond: (doc: TProxyDocumentDetail, locale: TLocale) => Promise<Response> | Response,
) {
  return async (_request: Request, { params }: TParams): Promise<Response> => {
    try {
      const card = await requireCardResident();
      if (!card) throw new AppError("UNAUTHENTICATED");
      const { principalId, documentId } = await params;
      const { channel, requestMetadata } = await residentRequestContext();
      const doc = await getProxyDocumentOrThrow(await getDb(), {
        proxyId: card.residentId,
        principalId,
        documentId,
        purpose: "download",
        format,
        channel,
        requestMetadata,
      });
      kickNotificationMail(getDb); // the principal's "your proxy downloaded" mail
      return await respond(doc, (await getLocale()) === "en" ? "en" : "ja");
    } catch (err) {
      const { status, body } = toErrorResponse(err);
      return Response.json(body, { status });
    }
  };
}
