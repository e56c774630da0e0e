import type { Prisma } from "@/lib/db/client";
import type { TApplicationContent, TApplicationSummaryDto } from "./schemas";

/** The columns a resident's view needs (convention 10). */
export const applicationSelect = {
  id: true,
  kind: true,
  status: true,
  revision: true,
  submittedAt: true,
  decidedAt: true,
  returnReason: true,
  fulfilledAt: true,
  resultDocumentId: true,
  content: true,
} satisfies Prisma.ServiceApplicationSelect;

export type TApplicationRow = Prisma.ServiceApplicationGetPayload<{ select: typeof applicationSelect }>;

/** The database status as DTOs name it. */
export const STATUS_OF = { SUBMITTED: "submitted", RETURNED: "returned", APPROVED: "approved" } as const;

export function toApplicationSummaryDto(r: TApplicationRow): TApplicationSummaryDto {
  return {
    id: r.id,
    kind: r.kind === "MOVE" ? "move" : "residence-certificate",
    status: STATUS_OF[r.status],
    revision: r.revision,
    submittedAt: r.submittedAt.toISOString(),
    decidedAt: r.decidedAt?.toISOString() ?? null,
    returnReason: r.returnReason,
    fulfilled: r.status === "APPROVED" && r.fulfilledAt !== null,
    resultDocumentId: r.resultDocumentId,
    content: r.content as TApplicationContent,
  };
}
