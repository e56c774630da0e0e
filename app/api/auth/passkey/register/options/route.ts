// POST /api/auth/passkey/register/options – WebAuthn creation options, only in a fresh card session.
import { type NextRequest, NextResponse } from "next/server";
import { browserBinding } from "@/app/_server/card-binding";
import { requireCardResident } from "@/app/_server/session";
import { startPasskeyRegistration } from "@/lib/auth/passkey";
import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError, toErrorResponse } from "@/lib/errors/app-error";
import { logServerError } from "@/lib/log/logger";

export const dynamic = "force-dynamic";

export async function POST(request: NextRequest): Promise<NextResponse> {
  try {
    const resident = await requireCardResident();
    if (!resident)
      throw new AppError("UNAUTHENTICATED", { message: "Registering a passkey needs a recent card login." });
    const { binding, commit } = browserBinding(request);
    const options = await startPasskeyRegistration(await getDb(), {
      origin: env().PORTAL_ORIGIN,
      residentId: resident.residentId,
      displayName: resident.displayName,
      binding,
    });
    return commit(NextResponse.json(options, { headers: { "Cache-Control": "no-store" } }));
  } catch (e) {
    const { status, body } = toErrorResponse(e);
    logServerError("auth/passkey", status, e);
    return NextResponse.json(body, { status });
  }
}
