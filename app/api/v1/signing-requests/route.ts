import { getPlatformContext, platformApiDeps } from "@/lib/platform/get-platform-context";
import { createCreateSigningRequestHandler } from "./handlers";

export const dynamic = "force-dynamic";

// POST /api/v1/signing-requests – ask a linked resident to sign (see ./schema.ts)
export const POST = createCreateSigningRequestHandler(platformApiDeps(getPlatformContext));
