// POST /api/card/cross-device/status – the PC polls its QR login: pending | approved | completed | expired.
import { type NextRequest, NextResponse } from "next/server";
import { z } from "zod";
import { bindingCookieName, readCookie } from "@/lib/auth/binding-cookie";
import { getCrossDeviceStatus } from "@/lib/auth/cross-device-login";
import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { toErrorResponse } from "@/lib/errors/app-error";
import { logServerError } from "@/lib/log/logger";

export const dynamic = "force-dynamic";

const ZBody = z.object({ code: z.string().min(32).max(64) }).strict();

export async function POST(request: NextRequest): Promise<NextResponse> {
  try {
    const { code } = ZBody.parse(await request.json());
    const binding = readCookie(request.headers.get("cookie"), bindingCookieName(env().PORTAL_ORIGIN));
    const status = await getCrossDeviceStatus(await getDb(), { code, binding });
    return NextResponse.json({ status }, { headers: { "Cache-Control": "no-store" } });
  } catch (e) {
    const { status, body } = toErrorResponse(e);
    logServerError("auth/cross-device", status, e);
    return NextResponse.json(body, { status });
  }
}
