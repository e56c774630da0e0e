import { z } from "zod";
import { ZIssueBusTicketRequest } from "@/lib/services/bus/issue-ticket";
import type { TOperationMeta } from "../../_lib/operation";
import { PARTNER_AUTH_ERRORS } from "../../_lib/platform-api";

export const ZBusTicket = z.object({
  object: z.literal("bus_ticket"),
  id: z.uuid(),
  kind: z.enum(["TICKET_BOOK", "PASS"]),
  product: z.object({ code: z.string(), nameJa: z.string(), nameEn: z.string() }),
  ridesTotal: z.number().int().nullable(),
  ridesRemaining: z.number().int().nullable(),
  validFrom: z.iso.datetime(),
  validUntil: z.iso.datetime().nullable(),
  priceYen: z.number().int(),
  eligibility: z.enum(["NONE", "AGE_70_PLUS", "DISABILITY"]).meta({
    description:
      "The discount category; for AGE_70_PLUS and DISABILITY the resident shared the predicate with you and it held at issue",
  }),
  purchasedAt: z.iso.datetime(),
});

export const issueBusTicketMeta: TOperationMeta = {
  method: "post",
  path: "/api/v1/bus/tickets",
  operationId: "issueBusTicket",
  summary: "Issue a ticket book or pass to one of your members (community bus)",
  description:
    "For bus operators: a ticket book (回数券) or pass (定期・月間パス) of one of your products for the resident linked under `partnerRef`, paid to you (counter or on board). A discounted product (敬老, 障害者) needs the resident's consent to share the predicate with you, and the predicate is checked again now (never the date of birth or the certificate). Rides are taken by card taps at your enrolled on-board devices.",
  scope: "eligibility:verify",
  request: ZIssueBusTicketRequest,
  requestExample: { partnerRef: "BUS-000123", productCode: "BOOK-11" },
  responses: [{ status: 201, description: "The ticket.", schema: ZBusTicket }],
  errors: [
    ...PARTNER_AUTH_ERRORS,
    "BAD_JSON",
    "UNSUPPORTED_MEDIA_TYPE",
    "TEXT_CHARACTER_FORBIDDEN",
    "VALIDATION_FAILED",
    "RECIPIENT_NOT_LINKED",
    "CREDENTIAL_MODE_MISMATCH",
    "BUS_PRODUCT_UNKNOWN",
    "BUS_ELIGIBILITY_NOT_SHARED",
    "BUS_NOT_ELIGIBLE",
  ],
};
