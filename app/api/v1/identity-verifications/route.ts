import { getPlatformContext, platformApiDeps } from "@/lib/platform/get-platform-context";
import { createIdentityVerificationHandler } from "./handlers";

export const dynamic = "force-dynamic";

// POST /api/v1/identity-verifications – verify a resident-signed application (see ./schema.ts)
export const POST = createIdentityVerificationHandler(platformApiDeps(getPlatformContext));
