// POST /api/card/cross-device – the PC starts a QR cross-device login (lib/auth/cross-device-login.ts).
import { type NextRequest, NextResponse } from "next/server";
import { browserBinding } from "@/app/_server/card-binding";
import { loginRoute } from "@/app/_server/route";
import { startCrossDeviceLogin } from "@/lib/auth/cross-device-login";
import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { requestMetadataOf } from "@/lib/http/request-metadata";

export const dynamic = "force-dynamic";

export const POST = loginRoute(async (request: NextRequest): Promise<Response> => {
  const portal = env().PORTAL_ORIGIN;
  const { binding, commit } = browserBinding(request);
  const { code, confirmation, expiresAt } = await startCrossDeviceLogin(await getDb(), {
    binding,
    meta: requestMetadataOf(request.headers),
  });
  return commit(
    NextResponse.json(
      { code, confirmation, expiresAt: expiresAt.toISOString(), url: `${new URL(portal).origin}/login/qr/${code}` },
      { headers: { "Cache-Control": "no-store" } },
    ),
  );
});
