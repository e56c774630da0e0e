import { z } from "zod";
import { ZSafeText } from "@/lib/http/safe-text";

/**
 * The content a resident signs (RFC 8785 canonical JSON of {@link ZApplicationContent}): what
 * they apply for, who applies, and which application and revision the signature is for, so a
 * signature cannot be replayed as another application or an earlier revision.
 */
export const APPLICATION_FORMAT = "ichimai-application/1";

const ZText = (max: number) => ZSafeText.pipe(z.string().trim().min(1).max(max));
const ZRegistryNumber = ZSafeText.pipe(z.string().regex(/^[0-9A-Za-z-]{1,40}$/));
const ZDay = z.iso.date();

/** 転居届 (a move within the town): where, when, and who of the household moves. */
export const ZMoveForm = z.strictObject({
  newAddress: ZText(200),
  postalCode: ZSafeText.pipe(z.string().regex(/^\d{3}-\d{4}$/, "NNN-NNNN")),
  districtCode: ZSafeText.pipe(z.string().regex(/^[0-9A-Za-z-]{1,20}$/)),
  moveDate: ZDay,
  movers: z.array(ZRegistryNumber).min(1).max(20),
});
export type TMoveForm = z.infer<typeof ZMoveForm>;

/**
 * 住民票の写しの請求: whose, with or without the household, how many, what for. The copy never
 * carries My Number (個人番号): the portal does not hold it.
 */
export const ZResidenceCertificateForm = z.strictObject({
  subject: ZRegistryNumber,
  scope: z.enum(["self", "household"]),
  copies: z.number().int().min(1).max(5),
  purpose: ZText(200),
});
export type TResidenceCertificateForm = z.infer<typeof ZResidenceCertificateForm>;

const ZCommon = {
  format: z.literal(APPLICATION_FORMAT),
  applicationId: z.uuid(),
  revision: z.number().int().min(1).max(100),
  applicant: z.strictObject({ registryNumber: ZRegistryNumber, name: ZText(100) }),
  preparedAt: z.iso.datetime(),
};

export const ZApplicationContent = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("move"), ...ZCommon, form: ZMoveForm }),
  z.strictObject({ kind: z.literal("residence-certificate"), ...ZCommon, form: ZResidenceCertificateForm }),
]);
export type TApplicationContent = z.infer<typeof ZApplicationContent>;
export type TApplicationKind = TApplicationContent["kind"];

/** A form as the page posts it before signing. */
export const ZApplicationDraft = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("move"), form: ZMoveForm }),
  z.strictObject({ kind: z.literal("residence-certificate"), form: ZResidenceCertificateForm }),
]);
export type TApplicationDraft = z.infer<typeof ZApplicationDraft>;

/** The four facts (基本4情報) as shown and compared. */
export type TFourFactsDto = {
  name: string;
  address: string;
  dateOfBirth: string;
  gender: "male" | "female" | "unknown";
};

/** What was checked when the application arrived (stored with it, shown to staff). */
export type TApplicationVerification = {
  signatureValid: boolean;
  checks: { code: string; ok: boolean; detail?: string }[];
  revocation: { status: string; source?: string; checkedAt: string };
  signer: { issuerDn: string; serialNumber: string; notAfter: string };
  /** How the certificate was tied to the resident: their bound signing certificate, or J-LIS's sign → auth link. */
  boundBy: "binding" | "jlis-link";
  facts: TFourFactsDto;
};

/** A resident's view of one of their applications. */
export type TApplicationSummaryDto = {
  id: string;
  kind: TApplicationKind;
  status: "submitted" | "returned" | "approved";
  revision: number;
  submittedAt: string;
  decidedAt: string | null;
  returnReason: string | null;
  /** Approved and everything it sets off done (J-LIS told, the document delivered). */
  fulfilled: boolean;
  resultDocumentId: string | null;
  content: TApplicationContent;
};
