// POST /api/terminal/links – link on first tap, step 1: the kiosk's staff entered the member
// number of a person whose tap was RECIPIENT_NOT_LINKED. Answers the consent statement to show
// and its challenge (nonce = SHA-256 of the statement) for the card; the terminal binding secret
// stays in the HttpOnly tap cookie (lib/links/terminal-link.ts).
import { NextResponse } from "next/server";
import { z } from "zod";
import { readTerminalJson, setTerminalTapCookie, terminalRoute } from "@/app/_server/terminal-device";
import { startTerminalLink } from "@/lib/links/terminal-link";

export const dynamic = "force-dynamic";

const ZBody = z.strictObject({ partnerRef: z.string().max(100) });

export const POST = terminalRoute(
  async (request, { device, ctx }) => {
    const json = await readTerminalJson(request, { maxBytes: 4 * 1024 });
    const start = await startTerminalLink(ctx, { device, request: ZBody.parse(json) });
    const res = NextResponse.json(
      {
        nonce: start.nonce,
        origin: start.origin,
        expiresAt: start.expiresAt,
        partnerRef: start.partnerRef,
        purposes: start.purposes,
        purposeText: start.purposeText,
      },
      { status: 201, headers: { "Cache-Control": "no-store" } },
    );
    return setTerminalTapCookie(res, start.terminalBinding);
  },
  { logLabel: "api/terminal/links" },
);
