// POST /api/terminal/emergency/break-glass/reads – another read inside an open break-glass
// window, by the kiosk that opened it (EMERGENCY_BREAK_GLASS_EXPIRED afterwards).
import { noStoreJson, terminalPostRoute } from "@/app/_server/terminal-device";
import { readBreakGlass } from "@/lib/services/emergency/break-glass";

export const dynamic = "force-dynamic";

export const POST = terminalPostRoute(
  async ({ device, ctx, body, requestMetadata }) =>
    noStoreJson(await readBreakGlass(ctx, { device, request: body, requestMetadata })),
  { logLabel: "api/terminal/emergency/break-glass/reads" },
);
