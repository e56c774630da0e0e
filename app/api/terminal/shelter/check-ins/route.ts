// POST /api/terminal/shelter/check-ins – check-in at a shelter kiosk: the card's Web eID token for
// the kiosk's challenge (and `transfer` to move from another shelter) → the check-in, the
// shelter's occupancy and the household's names to check in together (lib/disaster/shelters).
import { noStoreJson, terminalPostRoute } from "@/app/_server/terminal-device";
import { checkInByTap } from "@/lib/disaster/shelters/terminal-check-in";

export const dynamic = "force-dynamic";

export const POST = terminalPostRoute(
  async ({ device, ctx, body, terminalBinding, requestMetadata }) =>
    noStoreJson(await checkInByTap(ctx, { device, terminalBinding, request: body, requestMetadata }), 201),
  { logLabel: "api/terminal/shelter/check-ins" },
);
