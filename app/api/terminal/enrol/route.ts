// POST /api/terminal/enrol – a kiosk presents its one-time enrolment code (form post from
// /terminal/enrol) and receives its device token as an HttpOnly cookie (lib/platform/terminals).
// Not yet a terminal (no device cookie): any refusal goes back to the form with its code.
import { type NextRequest, NextResponse } from "next/server";
import { guardedRoute } from "@/app/_server/route";
import { requireSameOrigin, setTerminalDeviceCookie } from "@/app/_server/terminal-device";
import { AppError, toErrorResponse } from "@/lib/errors/app-error";
import { getPlatformContext } from "@/lib/platform/get-platform-context";
import { enrolTerminalDevice } from "@/lib/platform/terminals/enrol-terminal-device";

export const dynamic = "force-dynamic";

const back = (request: NextRequest, path: string) => NextResponse.redirect(new URL(path, request.nextUrl.origin), 303);

export const POST = guardedRoute(
  async (request: NextRequest) => {
    requireSameOrigin(request);
    const form = await request.formData().catch((cause: unknown) => {
      throw new AppError("VALIDATION_FAILED", { cause });
    });
    const { prisma } = await getPlatformContext();
    const { deviceToken, deviceId } = await enrolTerminalDevice(prisma, { request: { code: form.get("code") } });
    const device = await prisma.terminalDevice.findUniqueOrThrow({ where: { id: deviceId }, select: { mode: true } });
    return setTerminalDeviceCookie(back(request, `/terminal/${device.mode.toLowerCase()}`), deviceToken);
  },
  {
    onError: (e, request) =>
      back(request, `/terminal/enrol?error=${encodeURIComponent(toErrorResponse(e).body.error.code)}`),
  },
);
