// POST /api/terminal/bus/rides – an on-board device's card tap: the card's Web eID token for the
// kiosk's challenge and the tap's idempotency key → the eligibility check, ONE ride taken, the
// balance left and the receipt delivered (lib/services/bus/terminal-ride.ts).
import { noStoreJson, terminalPostRoute } from "@/app/_server/terminal-device";
import { getBusContext } from "@/lib/services/bus/get-bus-context";
import { tapBusTerminal } from "@/lib/services/bus/terminal-ride";

export const dynamic = "force-dynamic";

export const POST = terminalPostRoute(
  async ({ device, ctx, body, terminalBinding, requestMetadata }) =>
    noStoreJson(
      await tapBusTerminal(ctx, await getBusContext(), { device, terminalBinding, request: body, requestMetadata }),
    ),
  { logLabel: "api/terminal/bus/rides" },
);
