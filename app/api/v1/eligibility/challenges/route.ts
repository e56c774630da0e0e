import { getPlatformContext, platformApiDeps } from "@/lib/platform/get-platform-context";
import { createTerminalChallengeHandler } from "../handlers";

export const dynamic = "force-dynamic";

// POST /api/v1/eligibility/challenges – start a card tap at a terminal (see ../schema.ts)
export const POST = createTerminalChallengeHandler(platformApiDeps(getPlatformContext));
