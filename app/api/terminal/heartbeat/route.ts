// POST /api/terminal/heartbeat – a cable-TV set-top box reports activity (POWER_ON / POWER_OFF /
// REMOTE) with its device token (`Authorization: Bearer <token>`). Unknown box → 401
// SET_TOP_BOX_UNKNOWN. 202 either way for a known box: whether the report was kept (a household
// member opted in; not the same activity within the last minute) is the box's no business, but
// the answer says so for the operator's diagnostics.
import { z } from "zod";
import { guardedRoute } from "@/app/_server/route";
import { noStoreJson, readTerminalJson } from "@/app/_server/terminal-device";
import { getDb } from "@/lib/db/client";
import { recordSetTopBoxHeartbeat, ZSetTopBoxActivity } from "@/lib/disaster/set-top-box";

export const dynamic = "force-dynamic";

const ZBody = z.strictObject({ activity: ZSetTopBoxActivity });

function bearer(request: Request): string | undefined {
  const m = /^Bearer ([A-Za-z0-9_-]{1,100})$/.exec(request.headers.get("authorization") ?? "");
  return m?.[1];
}

export const POST = guardedRoute(
  async (request: Request) => {
    const token = bearer(request);
    const body = ZBody.parse(await readTerminalJson(request, { maxBytes: 1024 }));
    const outcome = await recordSetTopBoxHeartbeat({ prisma: await getDb() }, { token, activity: body.activity });
    return noStoreJson(outcome.stored ? { stored: true } : { stored: false, reason: outcome.reason }, 202);
  },
  { errorHeaders: { "Cache-Control": "no-store" }, logLabel: "set-top-box heartbeat" },
);
