import { getPlatformContext, platformApiDeps } from "@/lib/platform/get-platform-context";
import { createPostProbePointsHandler } from "./handlers";

export const dynamic = "force-dynamic";

// POST /api/v1/probe/points – partner vehicles' positions and speeds (see ./schema.ts)
export const POST = createPostProbePointsHandler(platformApiDeps(getPlatformContext));
