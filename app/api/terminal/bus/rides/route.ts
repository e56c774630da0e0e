// POST /api/terminal/bus/rides – an on-board device's card tap: the card's Web eID token for the
// kiosk's challenge and the tap's idempotency key → the eligibility check, ONE ride taken, the
// balance left and the receipt delivered (lib/services/bus/terminal-ride.ts).
import { NextResponse } from "next/server";
import { TERMINAL_TAP_COOKIE, terminalRoute } from "@/app/_server/terminal-device";
import { requestMetadataOf } from "@/lib/http/request-metadata";
import { getBusContext } from "@/lib/services/bus/get-bus-context";
import { tapBusTerminal } from "@/lib/services/bus/terminal-ride";
import { readKioskJson } from "../_lib/read-body";

export const dynamic = "force-dynamic";

export const POST = terminalRoute(
  async (request, { device, ctx }) => {
    const answer = await tapBusTerminal(ctx, await getBusContext(), {
      device,
      terminalBinding: request.cookies.get(TERMINAL_TAP_COOKIE)?.value,
      request: await readKioskJson(request, 32 * 1024),
      requestMetadata: requestMetadataOf(request.headers),
    });
    return NextResponse.json(answer, { headers: { "Cache-Control": "no-store" } });
  },
  { logLabel: "api/terminal/bus/rides" },
);
