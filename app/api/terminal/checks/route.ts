// POST /api/terminal/checks – the card's Web eID token for the kiosk's challenge → the platform's
// answer (member reference, eligible now; never the four facts), written to the resident's
// access log under the device's partner and the terminal label.
import { z } from "zod";
import { noStoreJson, terminalPostRoute } from "@/app/_server/terminal-device";
import { ZEligibilityCheck } from "@/lib/platform/schemas";
import { checkTerminalTap } from "@/lib/platform/terminals/terminal-tap";

export const dynamic = "force-dynamic";

const ZBody = z.strictObject({ nonce: z.string().min(16).max(200), token: z.string().min(2).max(24_000) });

export const POST = terminalPostRoute(
  async ({ device, ctx, body, terminalBinding, requestMetadata }) => {
    const answer = await checkTerminalTap(ctx, {
      device,
      terminalBinding,
      request: ZBody.parse(body),
      requestMetadata,
    });
    return noStoreJson(ZEligibilityCheck.parse(answer));
  },
  { logLabel: "api/terminal/checks" },
);
