// POST /api/card/challenge – a fresh card-login nonce bound to this browser (JPKI.md §6).
import { type NextRequest, NextResponse } from "next/server";
import { z } from "zod";
import { browserBinding } from "@/app/_server/card-binding";
import { issueChallenge } from "@/lib/auth/challenge";
import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError, toErrorResponse } from "@/lib/errors/app-error";

export const dynamic = "force-dynamic";

const ZBody = z.object({ purpose: z.enum(["login", "binding"]).default("login") }).strict();

export async function POST(request: NextRequest): Promise<NextResponse> {
  try {
    const portal = env().PORTAL_ORIGIN;
    const text = await request.text();
    if (text.length > 1000) throw new AppError("PAYLOAD_TOO_LARGE");
    let json: unknown = {};
    if (text.trim()) {
      try {
        json = JSON.parse(text);
      } catch (cause) {
        throw new AppError("BAD_JSON", { cause });
      }
    }
    const { purpose } = ZBody.parse(json);
    const { binding, commit } = browserBinding(request);
    // The origin the page runs on, as the browser reports it; verification refuses a challenge
    // requested from any origin other than the portal's (ORIGIN_MISMATCH).
    const origin = request.headers.get("origin") ?? new URL(portal).origin;
    const { nonce, expiresAt } = await issueChallenge(await getDb(), { binding, origin, purpose });
    return commit(
      NextResponse.json({ nonce, expiresAt: expiresAt.toISOString() }, { headers: { "Cache-Control": "no-store" } }),
    );
  } catch (e) {
    const { status, body } = toErrorResponse(e);
    return NextResponse.json(body, { status });
  }
}
