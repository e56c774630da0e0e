// POST /api/terminal/links/confirm – link on first tap, step 2: the card's Web eID token over the
// consent challenge → the link (lib/links/terminal-link.ts), in the resident's consent ledger and
// access log under the kiosk's partner and terminal.
import { NextResponse } from "next/server";
import { TERMINAL_TAP_COOKIE, terminalRoute } from "@/app/_server/terminal-device";
import { AppError } from "@/lib/errors/app-error";
import { requestMetadataOf } from "@/lib/http/request-metadata";
import { completeTerminalLink } from "@/lib/links/terminal-link";

export const dynamic = "force-dynamic";

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
    const result = await completeTerminalLink(ctx, {
      device,
      terminalBinding: request.cookies.get(TERMINAL_TAP_COOKIE)?.value,
      request: json,
      requestMetadata: requestMetadataOf(request.headers),
    });
    return NextResponse.json(result, { headers: { "Cache-Control": "no-store" } });
  },
  { logLabel: "api/terminal/links/confirm" },
);
