// POST /api/terminal/taps – an enrolled kiosk starts a card tap: the platform's eligibility
// challenge for the device's partner. The page gets the nonce and the origin to sign; the
// terminal binding secret stays in an HttpOnly cookie.
import { NextResponse } from "next/server";
import { setTerminalTapCookie, terminalRoute } from "@/app/_server/terminal-device";
import { startTerminalTap } from "@/lib/platform/terminals/terminal-tap";

export const dynamic = "force-dynamic";

export const POST = terminalRoute(async (_request, { device, ctx }) => {
  const challenge = await startTerminalTap(ctx, { device });
  const res = NextResponse.json(
    { nonce: challenge.nonce, origin: challenge.origin, expiresAt: challenge.expiresAt },
    { status: 201, headers: { "Cache-Control": "no-store" } },
  );
  return setTerminalTapCookie(res, challenge.terminalBinding);
});
