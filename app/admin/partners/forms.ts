/** The zod schemas of ./actions.ts's forms (a "use server" module exports only actions). */
import { z } from "zod";
import { ZSafeText } from "@/lib/http/safe-text";

export const ZDecideForm = z.object({
  id: z.uuid(),
  decision: z.enum(["APPROVE", "REJECT"]),
  note: ZSafeText.trim().max(1000).optional(),
});

/** The action origins of one partner, one per line (lib/partners/set-action-origins.ts checks each). */
export const ZActionOriginsForm = z.object({
  partnerId: z.uuid(),
  origins: ZSafeText.max(6000),
});

/** Registering a partner (lib/partners/onboard-partner.ts checks the 法人番号, the CSR and the rest). */
export const ZRegisterPartnerForm = z.object({
  slug: ZSafeText.trim().min(1).max(63),
  name: ZSafeText.trim().min(1).max(128),
  nameEn: ZSafeText.trim().min(1).max(128),
  kind: ZSafeText,
  corporateNumber: ZSafeText.trim().min(1).max(40),
  ownerName: ZSafeText.trim().min(1).max(100),
  ownerEmail: ZSafeText.trim().min(3).max(254),
  csr: ZSafeText.max(20_000).optional(),
});

/** Suspending (a reason required) or reactivating a partner. */
export const ZPartnerStatusForm = z.object({
  partnerId: z.uuid(),
  active: z.enum(["true", "false"]),
  reason: ZSafeText.trim().max(500).optional(),
});
