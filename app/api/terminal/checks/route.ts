// POST /api/terminal/checks – the card's Web eID token for the kiosk's challenge → the platform's
// answer (member reference, eligible now; never the four facts), written to the resident's
// access log under the device's partner and the terminal label.
import { NextResponse } from "next/server";
import { z } from "zod";
import { TERMINAL_TAP_COOKIE, terminalRoute } from "@/app/_server/terminal-device";
import { AppError } from "@/lib/errors/app-error";
import { requestMetadataOf } from "@/lib/http/request-metadata";
import { ZEligibilityCheck } from "@/lib/platform/schemas";
import { checkTerminalTap } from "@/lib/platform/terminals/terminal-tap";

export const dynamic = "force-dynamic";

const ZBody = z.strictObject({ nonce: z.string().min(16).max(200), token: z.string().min(2).max(24_000) });

export const POST = terminalRoute(
  async (request, { device, ctx }) => {
    const text = await request.text();
    if (text.length > 32 * 1024) throw new AppError("PAYLOAD_TOO_LARGE");
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      throw new AppError("BAD_JSON", { cause });
    }
    const answer = await checkTerminalTap(ctx, {
      device,
      terminalBinding: request.cookies.get(TERMINAL_TAP_COOKIE)?.value,
      request: ZBody.parse(json),
      requestMetadata: requestMetadataOf(request.headers),
    });
    return NextResponse.json(ZEligibilityCheck.parse(answer), { headers: { "Cache-Control": "no-store" } });
  },
  { logLabel: "api/terminal/checks" },
);
