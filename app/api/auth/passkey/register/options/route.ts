// POST /api/auth/passkey/register/options – WebAuthn creation options, only in a fresh card session.
import { type NextRequest, NextResponse } from "next/server";
import { browserBinding } from "@/app/_server/card-binding";
import { residentRoute } from "@/app/_server/route";
import { startPasskeyRegistration } from "@/lib/auth/passkey";
import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";

export const POST = residentRoute(
  async (request: NextRequest, { resident }) => {
    const { binding, commit } = browserBinding(request);
    const options = await startPasskeyRegistration(await getDb(), {
      origin: env().PORTAL_ORIGIN,
      residentId: resident.residentId,
      displayName: resident.displayName,
      binding,
    });
    return commit(NextResponse.json(options, { headers: { "Cache-Control": "no-store" } }));
  },
  { stepUp: true, message: "Registering a passkey needs a recent card login." },
);
