import type { Prisma } from "../../db/client";
import { AppError } from "../../errors/app-error";
import { jstDay } from "./bus-context";

export type TBusEligibility = "NONE" | "AGE_70_PLUS" | "DISABILITY";

/** The document type whose holder is eligible for the disability discount (issued by a government partner). */
export const DISABILITY_CERTIFICATE_TYPE = "disability-certificate";

/** The age limit of the 敬老 products. */
export const SENIOR_AGE = 70;

/** What a discount rested on at purchase: the rule, the evidence, when it was checked. */
export type TEligibilityEvidence =
  | { rule: "AGE_70_PLUS"; source: "registry"; predicate: "age_over_70"; checkedOn: string }
  | {
      rule: "DISABILITY";
      source: "mailbox";
      predicate: "holds_disability_certificate";
      documentId: string;
      issuerPartnerId: string;
      validUntil: string | null;
      checkedOn: string;
    };

/** Full years of age on a calendar day (YYYY-MM-DD), from a date of birth (YYYY-MM-DD). */
export function ageOn(dateOfBirth: string, day: string): number {
  const [by, bm, bd] = dateOfBirth.split("-").map(Number) as [number, number, number];
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/**
 * Checks, inside the caller's transaction, that the resident may have a product of this
 * eligibility from this operator now: the resident agreed to share the predicate with the
 * operator (BusEligibilityShare, else BUS_ELIGIBILITY_NOT_SHARED) and it holds today
 * (BUS_NOT_ELIGIBLE otherwise). 敬老: aged 70+ by the registry's date of birth (JST today).
 * 障害者: a `disability-certificate` in the resident's mailbox, issued by a
 * government partner (the town), with a valid signature, not past its validUntil. Returns the
 * evidence stored with the ticket; the operator sees only the predicate.
 */
export async function checkBusEligibility(
  tx: Prisma.TransactionClient,
  o: { residentId: string; partnerId: string; eligibility: TBusEligibility; now: Date },
): Promise<TEligibilityEvidence | null> {
  if (o.eligibility === "NONE") return null;
  const share = await tx.busEligibilityShare.findUnique({
    where: {
      residentId_partnerId_predicate: { residentId: o.residentId, partnerId: o.partnerId, predicate: o.eligibility },
    },
    select: { revokedAt: true },
  });
  if (!share || share.revokedAt) throw new AppError("BUS_ELIGIBILITY_NOT_SHARED");
  const today = jstDay(o.now);
  if (o.eligibility === "AGE_70_PLUS") {
    const r = await tx.resident.findUniqueOrThrow({ where: { id: o.residentId }, select: { dateOfBirth: true } });
    if (ageOn(r.dateOfBirth.toISOString().slice(0, 10), today) < SENIOR_AGE) throw new AppError("BUS_NOT_ELIGIBLE");
    return { rule: "AGE_70_PLUS", source: "registry", predicate: "age_over_70", checkedOn: today };
  }
  const docs = await tx.mailboxDocument.findMany({
    where: {
      residentId: o.residentId,
      type: DISABILITY_CERTIFICATE_TYPE,
      signatureValid: true,
      issuerPartner: { kind: "GOVERNMENT", active: true },
    },
    select: { id: true, issuerPartnerId: true, payload: true },
    orderBy: { createdAt: "desc" },
  });
  for (const d of docs) {
    const validUntil = (d.payload as { validUntil?: unknown } | null)?.validUntil;
    const until = typeof validUntil === "string" ? validUntil : null;
    if (until === null || until >= today) {
      return {
        rule: "DISABILITY",
        source: "mailbox",
        predicate: "holds_disability_certificate",
        documentId: d.id,
        issuerPartnerId: d.issuerPartnerId,
        validUntil: until,
        checkedOn: today,
      };
    }
  }
  throw new AppError("BUS_NOT_ELIGIBLE");
}
