import { getPlatformContext, platformApiDeps } from "@/lib/platform/get-platform-context";
import { createIssueBusTicketHandler } from "./handlers";

export const dynamic = "force-dynamic";

// POST /api/v1/bus/tickets – a bus operator issues a ticket book or pass to a member (see ./schema.ts)
export const POST = createIssueBusTicketHandler(platformApiDeps(getPlatformContext));
