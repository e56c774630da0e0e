// POST /api/terminal/enrol – a kiosk presents its one-time enrolment code (form post from
// /terminal/enrol) and receives its device token as an HttpOnly cookie (lib/platform/terminals).
import { type NextRequest, NextResponse } from "next/server";
import { requireSameOrigin, setTerminalDeviceCookie } from "@/app/_server/terminal-device";
import { AppError, toErrorResponse } from "@/lib/errors/app-error";
import { logServerError } from "@/lib/log/logger";
import { getPlatformContext } from "@/lib/platform/get-platform-context";
import { enrolTerminalDevice } from "@/lib/platform/terminals/enrol-terminal-device";

export const dynamic = "force-dynamic";

export async function POST(request: NextRequest): Promise<NextResponse> {
  const back = (path: string) => NextResponse.redirect(new URL(path, request.nextUrl.origin), 303);
  try {
    requireSameOrigin(request);
    const form = await request.formData().catch((cause: unknown) => {
      throw new AppError("VALIDATION_FAILED", { cause });
    });
    const { prisma } = await getPlatformContext();
    const { deviceToken, deviceId } = await enrolTerminalDevice(prisma, { request: { code: form.get("code") } });
    const device = await prisma.terminalDevice.findUniqueOrThrow({ where: { id: deviceId }, select: { mode: true } });
    return setTerminalDeviceCookie(back(`/terminal/${device.mode.toLowerCase()}`), deviceToken);
  } catch (e) {
    const { status, body } = toErrorResponse(e);
    logServerError("api/terminal", status, e);
    return back(`/terminal/enrol?error=${encodeURIComponent(body.error.code)}`);
  }
}
