// POST /api/terminal/emergency/break-glass/reads – another read inside an open break-glass
// window, by the kiosk that opened it (EMERGENCY_BREAK_GLASS_EXPIRED afterwards).
import { NextResponse } from "next/server";
import { terminalRoute } from "@/app/_server/terminal-device";
import { requestMetadataOf } from "@/lib/http/request-metadata";
import { readBreakGlass } from "@/lib/services/emergency/break-glass";
import { readTerminalJson } from "../../_lib/read-terminal-json";

export const dynamic = "force-dynamic";

export const POST = terminalRoute(
  async (request, { device, ctx }) => {
    const history = await readBreakGlass(ctx, {
      device,
      request: await readTerminalJson(request),
      requestMetadata: requestMetadataOf(request.headers),
    });
    return NextResponse.json(history, { headers: { "Cache-Control": "no-store" } });
  },
  { logLabel: "api/terminal/emergency/break-glass/reads" },
);
