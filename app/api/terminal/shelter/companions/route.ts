// POST /api/terminal/shelter/companions – a household member under 15 without a card, confirmed by
// shelter staff at the kiosk right after a member's check-in there ({ checkInId, companionId }).
import { noStoreJson, terminalPostRoute } from "@/app/_server/terminal-device";
import { checkInCompanion } from "@/lib/disaster/shelters/terminal-check-in";

export const dynamic = "force-dynamic";

export const POST = terminalPostRoute(
  async ({ device, ctx, body, requestMetadata }) =>
    noStoreJson(await checkInCompanion(ctx, { device, request: body, requestMetadata }), 201),
  { logLabel: "api/terminal/shelter/companions" },
);
