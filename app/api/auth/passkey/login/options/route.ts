// POST /api/auth/passkey/login/options – WebAuthn request options for a passkey login.
import { type NextRequest, NextResponse } from "next/server";
import { browserBinding } from "@/app/_server/card-binding";
import { startPasskeyLogin } from "@/lib/auth/passkey";
import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { toErrorResponse } from "@/lib/errors/app-error";

export const dynamic = "force-dynamic";

export async function POST(request: NextRequest): Promise<NextResponse> {
  try {
    const { binding, commit } = browserBinding(request);
    const options = await startPasskeyLogin(await getDb(), { origin: env().PORTAL_ORIGIN, binding });
    return commit(NextResponse.json(options, { headers: { "Cache-Control": "no-store" } }));
  } catch (e) {
    const { status, body } = toErrorResponse(e);
    return NextResponse.json(body, { status });
  }
}
