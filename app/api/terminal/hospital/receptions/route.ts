// POST /api/terminal/hospital/receptions – reception (受付) at a hospital kiosk: the card's Web eID
// token for the kiosk's challenge → patient reference and the insurer's answer (eligible with
// numbers, period and copay ratio; lapsed; or unknown), logged in the resident's access log.
import { z } from "zod";
import { noStoreJson, terminalPostRoute } from "@/app/_server/terminal-device";
import { receivePatient } from "@/lib/services/hospital/receive-patient";
import { ZReceptionAnswer } from "@/lib/services/hospital/schemas";

export const dynamic = "force-dynamic";

const ZBody = z.strictObject({ nonce: z.string().min(16).max(200), token: z.string().min(2).max(24_000) });

export const POST = terminalPostRoute(
  async ({ device, ctx, body, terminalBinding, requestMetadata }) => {
    const answer = await receivePatient(ctx, { device, terminalBinding, request: ZBody.parse(body), requestMetadata });
    return noStoreJson(ZReceptionAnswer.parse(answer));
  },
  { logLabel: "api/terminal/hospital/receptions" },
);
