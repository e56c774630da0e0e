import { signedBundleOfDetail, signedBundleResponse } from "@/lib/mailbox/signed-bundle";
import { proxyDownloadRoute } from "../proxy-document-route";

export const dynamic = "force-dynamic";

// GET /proxy/{principalId}/mailbox/{documentId}/download – the signed original as JSON, for a proxy
export const GET = proxyDownloadRoute("json", (doc) => signedBundleResponse(signedBundleOfDetail(doc)));
