// POST /api/card/cross-device – the PC starts a QR cross-device login (lib/auth/cross-device-login.ts).
import { type NextRequest, NextResponse } from "next/server";
import { bindingCookieAttributes, bindingCookieName } from "@/lib/auth/binding-cookie";
import { newBinding } from "@/lib/auth/challenge";
import { startCrossDeviceLogin } from "@/lib/auth/cross-device-login";
import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { toErrorResponse } from "@/lib/errors/app-error";

export const dynamic = "force-dynamic";

export async function POST(request: NextRequest): Promise<NextResponse> {
  try {
    const portal = env().PORTAL_ORIGIN;
    const name = bindingCookieName(portal);
    const existing = request.cookies.get(name)?.value;
    const binding = existing && existing.length >= 32 ? existing : newBinding();
    const { code, confirmation, expiresAt } = await startCrossDeviceLogin(await getDb(), { binding });
    const response = NextResponse.json(
      { code, confirmation, expiresAt: expiresAt.toISOString(), url: `${new URL(portal).origin}/login/qr/${code}` },
      { headers: { "Cache-Control": "no-store" } },
    );
    if (binding !== existing) response.cookies.set(name, binding, bindingCookieAttributes(portal));
    return response;
  } catch (e) {
    const { status, body } = toErrorResponse(e);
    return NextResponse.json(body, { status });
  }
}
