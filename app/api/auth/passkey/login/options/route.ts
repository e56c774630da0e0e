// POST /api/auth/passkey/login/options – WebAuthn request options for a passkey login.
import { type NextRequest, NextResponse } from "next/server";
import { browserBinding } from "@/app/_server/card-binding";
import { loginRoute } from "@/app/_server/route";
import { startPasskeyLogin } from "@/lib/auth/passkey";
import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { requestMetadataOf } from "@/lib/http/request-metadata";

export const dynamic = "force-dynamic";

export const POST = loginRoute(async (request: NextRequest) => {
  const { binding, commit } = browserBinding(request);
  const options = await startPasskeyLogin(await getDb(), {
    origin: env().PORTAL_ORIGIN,
    binding,
    meta: requestMetadataOf(request.headers),
  });
  return commit(NextResponse.json(options, { headers: { "Cache-Control": "no-store" } }));
});
