import { getPlatformContext, platformApiDeps } from "@/lib/platform/get-platform-context";
import { createCreateLinkRequestHandler } from "./handlers";

export const dynamic = "force-dynamic";

// POST /api/v1/link-requests – propose a member link to a resident (see ./schema.ts)
export const POST = createCreateLinkRequestHandler(platformApiDeps(getPlatformContext));
