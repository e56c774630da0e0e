import { z } from "zod";
import { busRideReceipt } from "./bus-ride-receipt";
import { checkupResult } from "./checkup-result";
import { disabilityCertificate } from "./disability-certificate";
import type { TBilingual, TDocumentDomain, TDocumentType, TRenderedField } from "./define-document-type";
import { evacuationOrder } from "./evacuation-order";
import { hospitalReceipt } from "./hospital-receipt";
import { incomeTaxCertificate } from "./income-tax-certificate";
import { lifeInsuranceDeductionCertificate } from "./life-insurance-deduction-certificate";
import { medicalSummary } from "./medical-summary";
import { medicalExpenseNotice } from "./medical-expense-notice";
import { medicationList } from "./medication-list";
import { municipalNotice } from "./municipal-notice";
import { notice } from "./notice";
import { pensionPaymentNotice } from "./pension-payment-notice";
import { residenceCertificate } from "./residence-certificate";
import { withholdingSlip } from "./withholding-slip";

/**
 * Every document type ichimai accepts, by id. Adding a type is adding a file and a line here;
 * a type id is public contract (stored rows and partners' integrations refer to it).
 */
const TYPES = [
  residenceCertificate,
  incomeTaxCertificate,
  lifeInsuranceDeductionCertificate,
  medicalExpenseNotice,
  withholdingSlip,
  pensionPaymentNotice,
  notice,
  municipalNotice,
  evacuationOrder,
  busRideReceipt,
  hospitalReceipt,
  medicalSummary,
  checkupResult,
  disabilityCertificate,
  medicationList,
] as const;

// Payload types differ per entry; callers validate with the entry's own schema before rendering.
const BY_ID: ReadonlyMap<string, TDocumentType> = new Map(TYPES.map((t) => [t.id, t as unknown as TDocumentType]));

/** The ids of all document types, in registry order. */
export const DOCUMENT_TYPE_IDS = TYPES.map((t) => t.id);

/** The type with this id, or undefined. */
export function findDocumentType(id: string): TDocumentType | undefined {
  return BY_ID.get(id);
}

/** All types (for the docs page, filters and the OpenAPI spec). */
export function listDocumentTypes(): readonly TDocumentType[] {
  return [...BY_ID.values()];
}

/** The types of one domain. */
export function documentTypesOfDomain(domain: TDocumentDomain): TDocumentType[] {
  return listDocumentTypes().filter((t) => t.domain === domain);
}

/** The payload JSON Schema (draft 2020-12) of a type, generated from its zod schema. */
export function documentTypeJsonSchema(type: TDocumentType): Record<string, unknown> {
  return z.toJSONSchema(type.schema, { target: "draft-2020-12", io: "input" }) as Record<string, unknown>;
}

export type TStoredDocumentView = {
  typeTitle: TBilingual;
  subject: TBilingual;
  /** The labelled fields in both languages (empty when the type is unknown or the payload no longer fits). */
  fields(): { ja: TRenderedField[]; en: TRenderedField[] };
};

/**
 * How a stored document reads in the UI: its type title, a one-line subject and its rendered
 * fields. A stored payload was valid at delivery; a type whose schema later tightened still shows
 * its title, and an unknown type falls back to its id (the raw JSON stays available).
 */
export function describeStoredDocument(row: { type: string; payload: unknown }): TStoredDocumentView {
  const type = findDocumentType(row.type);
  const valid = type?.schema.safeParse(row.payload);
  const ok = type !== undefined && valid?.success === true;
  const subject = (l: "ja" | "en") => (ok && type.subject ? type.subject(valid.data, l) : (type?.title[l] ?? row.type));
  return {
    typeTitle: type?.title ?? { ja: row.type, en: row.type },
    subject: { ja: subject("ja"), en: subject("en") },
    fields: () => (ok ? { ja: type.render(valid.data, "ja"), en: type.render(valid.data, "en") } : { ja: [], en: [] }),
  };
}
