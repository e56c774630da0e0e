// POST /api/terminal/shelter/check-outs – leaving a shelter: the card's Web eID token for the
// kiosk's challenge → the resident's open check-in at this shelter closed (lib/disaster/shelters).
import { noStoreJson, terminalPostRoute } from "@/app/_server/terminal-device";
import { checkOutByTap } from "@/lib/disaster/shelters/terminal-check-in";

export const dynamic = "force-dynamic";

export const POST = terminalPostRoute(
  async ({ device, ctx, body, terminalBinding, requestMetadata }) =>
    noStoreJson(await checkOutByTap(ctx, { device, terminalBinding, request: body, requestMetadata })),
  { logLabel: "api/terminal/shelter/check-outs" },
);
