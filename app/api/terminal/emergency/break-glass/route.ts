// POST /api/terminal/emergency/break-glass – the patient cannot answer: the card's
// user-authentication certificate (read without PIN) and a reason → a 30-minute break-glass
// access for this kiosk and this resident, the history, notices to the resident and family.
import { NextResponse } from "next/server";
import { terminalRoute } from "@/app/_server/terminal-device";
import { requestMetadataOf } from "@/lib/http/request-metadata";
import { openBreakGlass } from "@/lib/services/emergency/break-glass";
import { readTerminalJson } from "../_lib/read-terminal-json";

export const dynamic = "force-dynamic";

export const POST = terminalRoute(
  async (request, { device, ctx }) => {
    const answer = await openBreakGlass(ctx, {
      device,
      request: await readTerminalJson(request),
      requestMetadata: requestMetadataOf(request.headers),
    });
    return NextResponse.json(answer, { status: 201, headers: { "Cache-Control": "no-store" } });
  },
  { logLabel: "api/terminal/emergency/break-glass" },
);
