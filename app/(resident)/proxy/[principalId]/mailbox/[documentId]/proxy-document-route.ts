import { getLocale } from "next-intl/server";
import { residentRoute } from "@/app/_server/route";
import { getDb } from "@/lib/db/client";
import type { TLocale } from "@/lib/i18n/locales";
import { kickNotificationMail } from "@/lib/notifications/smtp-transport";
import { getProxyDocumentOrThrow, type TProxyDocumentDetail } from "@/lib/proxies/get-proxy-document";

/**
 * A proxy's download of one of the principal's documents: card login (as the proxy pages), the
 * grant's scope checked in lib, audited as a download and notified to the principal. `respond`
 * turns the detail into the file.
 */
export function proxyDownloadRoute(
  format: "json" | "pdf",
  respond: (doc: TProxyDocumentDetail, locale: TLocale) => Promise<Response> | Response,
) {
  return residentRoute<Request, { principalId: string; documentId: string }>(
    async (_request, { resident, params, channel, requestMetadata }) => {
      const doc = await getProxyDocumentOrThrow(await getDb(), {
        proxyId: resident.residentId,
        principalId: params.principalId,
        documentId: params.documentId,
        purpose: "download",
        format,
        channel,
        requestMetadata,
      });
      kickNotificationMail(getDb); // the principal's "your proxy downloaded" mail
      return await respond(doc, (await getLocale()) === "en" ? "en" : "ja");
    },
    { stepUp: true },
  );
}
