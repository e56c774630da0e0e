// POST /api/terminal/hospital/receptions – reception (受付) at a hospital kiosk: the card's Web eID
// token for the kiosk's challenge → patient reference and the insurer's answer (eligible with
// numbers, period and copay ratio; lapsed; or unknown), logged in the resident's access log.
import { NextResponse } from "next/server";
import { z } from "zod";
import { TERMINAL_TAP_COOKIE, terminalRoute } from "@/app/_server/terminal-device";
import { AppError } from "@/lib/errors/app-error";
import { requestMetadataOf } from "@/lib/http/request-metadata";
import { receivePatient } from "@/lib/services/hospital/receive-patient";
import { ZReceptionAnswer } from "@/lib/services/hospital/schemas";

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
    const answer = await receivePatient(ctx, {
      device,
      terminalBinding: request.cookies.get(TERMINAL_TAP_COOKIE)?.value,
      request: ZBody.parse(json),
      requestMetadata: requestMetadataOf(request.headers),
    });
    return NextResponse.json(ZReceptionAnswer.parse(answer), { headers: { "Cache-Control": "no-store" } });
  },
  { logLabel: "api/terminal/hospital/receptions" },
);
