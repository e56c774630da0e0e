import { issueBusTicket } from "@/lib/services/bus/issue-ticket";
import type { TBusContext } from "@/lib/services/bus/bus-context";
import type { TPlatformApiDeps } from "../../_lib/platform-api";
import { readJsonBody } from "../../_lib/read-json-body";
import { withPartner } from "../../_lib/with-partner";
import { issueBusTicketMeta, ZBusTicket } from "./schema";

/** POST /api/v1/bus/tickets – the operator issues a ticket book or pass to a linked member. */
export function createIssueBusTicketHandler(deps: TPlatformApiDeps) {
  return withPartner(issueBusTicketMeta.scope, deps, async (request, ctx) => {
    const body = await readJsonBody(request, 4 * 1024);
    const bus: TBusContext = { prisma: ctx.prisma, now: () => ctx.now };
    const ticket = await issueBusTicket(bus, {
      partnerId: ctx.credential.partnerId,
      credentialMode: ctx.credential.mode,
      request: body,
      requestMetadata: ctx.requestMetadata,
    });
    return Response.json(ZBusTicket.parse({ object: "bus_ticket", ...ticket }), {
      status: 201,
      headers: { "Cache-Control": "no-store" },
    });
  });
}
