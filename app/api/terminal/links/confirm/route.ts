// POST /api/terminal/links/confirm – link on first tap, step 2: the card's Web eID token over the
// consent challenge → the link (lib/links/terminal-link.ts), in the resident's consent ledger and
// access log under the kiosk's partner and terminal.
import { noStoreJson, terminalPostRoute } from "@/app/_server/terminal-device";
import { completeTerminalLink } from "@/lib/links/terminal-link";

export const dynamic = "force-dynamic";

export const POST = terminalPostRoute(
  async ({ device, ctx, body, terminalBinding, requestMetadata }) =>
    noStoreJson(await completeTerminalLink(ctx, { device, terminalBinding, request: body, requestMetadata })),
  { logLabel: "api/terminal/links/confirm" },
);
