// POST /api/terminal/bus/device-key – an enrolled on-board device registers the public half of
// its offline signing key (ECDSA P-256, generated non-extractable in the kiosk browser).
import { NextResponse } from "next/server";
import { readTerminalJson, terminalRoute } from "@/app/_server/terminal-device";
import { registerBusDeviceKey } from "@/lib/services/bus/device-keys";

export const dynamic = "force-dynamic";

export const POST = terminalRoute(
  async (request, { device, ctx }) => {
    const { keyId } = await registerBusDeviceKey(ctx.prisma, {
      device,
      request: await readTerminalJson(request, { maxBytes: 4096 }),
    });
    return NextResponse.json({ keyId, deviceId: device.id }, { status: 201, headers: { "Cache-Control": "no-store" } });
  },
  { logLabel: "api/terminal/bus/device-key" },
);
