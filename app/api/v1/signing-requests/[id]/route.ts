import { getPlatformContext, platformApiDeps } from "@/lib/platform/get-platform-context";
import { createGetSigningRequestHandler } from "./handlers";

export const dynamic = "force-dynamic";

// GET /api/v1/signing-requests/{id} – a signing request's status and signature (see ./schema.ts)
export const GET = createGetSigningRequestHandler(platformApiDeps(getPlatformContext));
