// POST /api/terminal/bus/offline-rides – an on-board device syncs the rides it recorded offline
// (device-signed records): each accepted exactly once, replays and foreign records refused with a
// stable code per record (lib/services/bus/sync-offline-rides.ts); receipts follow.
import { NextResponse } from "next/server";
import { readTerminalJson, terminalRoute } from "@/app/_server/terminal-device";
import { AppError } from "@/lib/errors/app-error";
import { requestMetadataOf } from "@/lib/http/request-metadata";
import { getBusContext } from "@/lib/services/bus/get-bus-context";
import { deliverPendingBusReceipts } from "@/lib/services/bus/ride-receipts";
import { syncOfflineRides } from "@/lib/services/bus/sync-offline-rides";

export const dynamic = "force-dynamic";

export const POST = terminalRoute(
  async (request, { device }) => {
    if (device.mode !== "BUS") throw new AppError("FORBIDDEN", { message: "Only bus devices sync rides." });
    const bus = await getBusContext();
    const { results, acceptedRideIds } = await syncOfflineRides(bus, {
      device: { id: device.id, label: device.label, partnerId: device.partner.id },
      request: await readTerminalJson(request, { maxBytes: 256 * 1024 }),
      requestMetadata: requestMetadataOf(request.headers),
    });
    if (acceptedRideIds.length > 0) await deliverPendingBusReceipts(bus, { rideIds: acceptedRideIds });
    return NextResponse.json({ results }, { headers: { "Cache-Control": "no-store" } });
  },
  { logLabel: "api/terminal/bus/offline-rides" },
);
