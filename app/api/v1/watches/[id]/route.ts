import { getPlatformContext, platformApiDeps } from "@/lib/platform/get-platform-context";
import { createGetWatchHandler } from "./handlers";

export const dynamic = "force-dynamic";

// GET /api/v1/watches/{id} – one watched certificate (see ./schema.ts)
export const GET = createGetWatchHandler(platformApiDeps(getPlatformContext));
