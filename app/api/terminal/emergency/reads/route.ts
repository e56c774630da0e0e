// POST /api/terminal/emergency/reads – the conscious patient's tap + PIN at an ambulance or
// hospital kiosk: the card's Web eID token for the kiosk's challenge (POST /api/terminal/taps)
// → the emergency history, limited to what the resident consented to for this audience.
import { noStoreJson, terminalPostRoute } from "@/app/_server/terminal-device";
import { readEmergencyHistory } from "@/lib/services/emergency/read-emergency-history";

export const dynamic = "force-dynamic";

export const POST = terminalPostRoute(
  async ({ device, ctx, body, terminalBinding, requestMetadata }) =>
    noStoreJson(await readEmergencyHistory(ctx, { device, terminalBinding, request: body, requestMetadata })),
  { logLabel: "api/terminal/emergency/reads" },
);
