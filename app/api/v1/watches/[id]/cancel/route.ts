import { getPlatformContext, platformApiDeps } from "@/lib/platform/get-platform-context";
import { createCancelWatchHandler } from "../handlers";

export const dynamic = "force-dynamic";

// POST /api/v1/watches/{id}/cancel – stop watching (see ../schema.ts)
export const POST = createCancelWatchHandler(platformApiDeps(getPlatformContext));
