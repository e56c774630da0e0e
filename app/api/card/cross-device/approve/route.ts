// POST /api/card/cross-device/approve – the phone, after a fresh card login, approves the PC's QR login.
import { guardedRoute } from "@/app/_server/route";
import { getServerSession } from "next-auth";
import { type NextRequest, NextResponse } from "next/server";
import { z } from "zod";
import { authOptions } from "@/app/_server/auth";
import { approveCrossDeviceLogin } from "@/lib/auth/cross-device-login";
import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";

export const dynamic = "force-dynamic";

const ZBody = z.object({ code: z.string().min(32).max(64) }).strict();

export const POST = guardedRoute(
  async (request: NextRequest): Promise<Response> => {
    // A state-changing call made with the session cookie: same-origin pages only.
    const origin = request.headers.get("origin");
    if (origin && origin !== new URL(env().PORTAL_ORIGIN).origin) throw new AppError("ORIGIN_MISMATCH");
    const { code } = ZBody.parse(await request.json());
    const session = await getServerSession(authOptions);
    if (!session?.residentId) throw new AppError("UNAUTHENTICATED");
    await approveCrossDeviceLogin(await getDb(), {
      code,
      residentId: session.residentId,
      assurance: session.assurance,
      authTime: session.authTime,
    });
    return NextResponse.json({ approved: true }, { headers: { "Cache-Control": "no-store" } });
  },
  { logLabel: "auth/cross-device" },
);
