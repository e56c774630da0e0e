// POST /api/terminal/emergency/break-glass – the patient cannot answer: the card's
// user-authentication certificate (read without PIN) and a reason → a 30-minute break-glass
// access for this kiosk and this resident, the history, notices to the resident and family.
import { noStoreJson, terminalPostRoute } from "@/app/_server/terminal-device";
import { openBreakGlass } from "@/lib/services/emergency/break-glass";

export const dynamic = "force-dynamic";

export const POST = terminalPostRoute(
  async ({ device, ctx, body, requestMetadata }) =>
    noStoreJson(await openBreakGlass(ctx, { device, request: body, requestMetadata }), 201),
  { logLabel: "api/terminal/emergency/break-glass" },
);
