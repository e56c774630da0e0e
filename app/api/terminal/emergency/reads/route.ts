// POST /api/terminal/emergency/reads – the conscious patient's tap + PIN at an ambulance or
// hospital kiosk: the card's Web eID token for the kiosk's challenge (POST /api/terminal/taps)
// → the emergency history, limited to what the resident consented to for this audience.
import { NextResponse } from "next/server";
import { TERMINAL_TAP_COOKIE, terminalRoute } from "@/app/_server/terminal-device";
import { requestMetadataOf } from "@/lib/http/request-metadata";
import { readEmergencyHistory } from "@/lib/services/emergency/read-emergency-history";
import { readTerminalJson } from "../_lib/read-terminal-json";

export const dynamic = "force-dynamic";

export const POST = terminalRoute(
  async (request, { device, ctx }) => {
    const history = await readEmergencyHistory(ctx, {
      device,
      terminalBinding: request.cookies.get(TERMINAL_TAP_COOKIE)?.value,
      request: await readTerminalJson(request),
      requestMetadata: requestMetadataOf(request.headers),
    });
    return NextResponse.json(history, { headers: { "Cache-Control": "no-store" } });
  },
  { logLabel: "api/terminal/emergency/reads" },
);
