// POST /api/auth/passkey/register/verify – store the new passkey (fresh card session only).
import { type NextRequest, NextResponse } from "next/server";
import { z } from "zod";
import { residentRoute } from "@/app/_server/route";
import { bindingCookieName, readCookie } from "@/lib/auth/binding-cookie";
import { finishPasskeyRegistration } from "@/lib/auth/passkey";
import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";

export const dynamic = "force-dynamic";

const ZBody = z.object({ response: z.unknown(), name: z.string().min(1).max(60).optional() });

export const POST = residentRoute(
  async (request: NextRequest, { resident }) => {
    const text = await request.text();
    if (text.length > 100_000) throw new AppError("PAYLOAD_TOO_LARGE");
    const body = ZBody.parse(JSON.parse(text));
    const portal = env().PORTAL_ORIGIN;
    const result = await finishPasskeyRegistration(await getDb(), {
      origin: portal,
      residentId: resident.residentId,
      binding: readCookie(request.headers.get("cookie"), bindingCookieName(portal)),
      response: body.response,
      name: body.name,
    });
    return NextResponse.json(result, { headers: { "Cache-Control": "no-store" } });
  },
  { stepUp: true, message: "Registering a passkey needs a recent card login." },
);
