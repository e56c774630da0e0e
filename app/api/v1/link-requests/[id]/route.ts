import { getPlatformContext, platformApiDeps } from "@/lib/platform/get-platform-context";
import { createGetLinkRequestHandler } from "./handlers";

export const dynamic = "force-dynamic";

// GET /api/v1/link-requests/{id} – a link request's status (see ./schema.ts)
export const GET = createGetLinkRequestHandler(platformApiDeps(getPlatformContext));
