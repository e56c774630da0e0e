import { getPlatformContext, platformApiDeps } from "@/lib/platform/get-platform-context";
import { createCreateWatchHandler, createListWatchesHandler } from "./handlers";

export const dynamic = "force-dynamic";

const deps = platformApiDeps(getPlatformContext);

// POST /api/v1/watches – watch a verified signing certificate (see ./schema.ts)
export const POST = createCreateWatchHandler(deps);
// GET /api/v1/watches – list the partner's watches
export const GET = createListWatchesHandler(deps);
