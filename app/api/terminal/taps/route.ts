// POST /api/terminal/taps – an enrolled kiosk starts a card tap: the platform's eligibility
// challenge for the device's partner. The page gets the nonce and the origin to sign; the
// terminal binding secret stays in an HttpOnly cookie.
import { type NextRequest, NextResponse } from "next/server";
import {
  requireSameOrigin,
  setTerminalTapCookie,
  terminalDeviceCookieName,
  terminalDeviceOf,
} from "@/app/_server/terminal-device";
import { toErrorResponse } from "@/lib/errors/app-error";
import { logServerError } from "@/lib/log/logger";
import { startTerminalTap } from "@/lib/platform/terminals/terminal-tap";

export const dynamic = "force-dynamic";

export async function POST(request: NextRequest): Promise<NextResponse> {
  try {
    requireSameOrigin(request);
    const { device, ctx } = await terminalDeviceOf(request.cookies.get(terminalDeviceCookieName())?.value);
    const challenge = await startTerminalTap(ctx, { device });
    const res = NextResponse.json(
      { nonce: challenge.nonce, origin: challenge.origin, expiresAt: challenge.expiresAt },
      { status: 201, headers: { "Cache-Control": "no-store" } },
    );
    return setTerminalTapCookie(res, challenge.terminalBinding);
  } catch (e) {
    const { status, body } = toErrorResponse(e);
    logServerError("api/terminal", status, e);
    return NextResponse.json(body, { status, headers: { "Cache-Control": "no-store" } });
  }
}
