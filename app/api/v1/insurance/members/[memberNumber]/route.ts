import { getPlatformContext, platformApiDeps } from "@/lib/platform/get-platform-context";
import { createPutInsuranceMemberHandler } from "./handlers";

export const dynamic = "force-dynamic";

// PUT /api/v1/insurance/members/{memberNumber} – one member's insurance status (see ./schema.ts)
export const PUT = createPutInsuranceMemberHandler(platformApiDeps(getPlatformContext));
