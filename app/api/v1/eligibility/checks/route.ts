import { getPlatformContext, platformApiDeps } from "@/lib/platform/get-platform-context";
import { createEligibilityCheckHandler } from "../handlers";

export const dynamic = "force-dynamic";

// POST /api/v1/eligibility/checks – member reference and eligibility of the tapped card (see ../schema.ts)
export const POST = createEligibilityCheckHandler(platformApiDeps(getPlatformContext));
