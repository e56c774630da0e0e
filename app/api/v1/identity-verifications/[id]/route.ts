import { getPlatformContext, platformApiDeps } from "@/lib/platform/get-platform-context";
import { createGetIdentityVerificationHandler } from "./handlers";

export const dynamic = "force-dynamic";

// GET /api/v1/identity-verifications/{id} – fetch a verification again (see ./schema.ts)
export const GET = createGetIdentityVerificationHandler(platformApiDeps(getPlatformContext));
