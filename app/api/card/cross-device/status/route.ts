// POST /api/card/cross-device/status – the PC polls its QR login: pending | approved | completed | expired.
import { guardedRoute } from "@/app/_server/route";
import { type NextRequest, NextResponse } from "next/server";
import { z } from "zod";
import { bindingCookieName, readCookie } from "@/lib/auth/binding-cookie";
import { getCrossDeviceStatus } from "@/lib/auth/cross-device-login";
import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";

const ZBody = z.object({ code: z.string().min(32).max(64) }).strict();

export const POST = guardedRoute(
  async (request: NextRequest): Promise<Response> => {
    const { code } = ZBody.parse(await request.json());
    const binding = readCookie(request.headers.get("cookie"), bindingCookieName(env().PORTAL_ORIGIN));
    const status = await getCrossDeviceStatus(await getDb(), { code, binding });
    return NextResponse.json({ status }, { headers: { "Cache-Control": "no-store" } });
  },
  { logLabel: "auth/cross-device" },
);
