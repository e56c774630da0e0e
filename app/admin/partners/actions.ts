"use server";

import { formRefusal, staffAction, type TActionState } from "@/app/_server/action";
import { secretsEncryptionKey } from "@/lib/crypto/secret-box";
import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { getSmtpTransport } from "@/lib/notifications/smtp-transport";
import {
  PARTNER_ONBOARDING_ROLES,
  registerPartner,
  setPartnerActive,
  type TRegisterPartner,
} from "@/lib/partners/onboard-partner";
import { createPartnerCaClient, partnerCaIssueToken } from "@/lib/partners/partner-ca-client";
import { decideScopeRequest } from "@/lib/partners/scope-requests";
import { setPartnerActionOrigins } from "@/lib/partners/set-action-origins";
import { ZActionOriginsForm, ZDecideForm, ZPartnerStatusForm, ZRegisterPartnerForm } from "./forms";

/** Staff approve or reject a partner's scope request (lib/partners/scope-requests.ts checks the role and audits). */
export async function decideScopeRequestAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return staffAction(
    async ({ staff, requestMetadata }) => {
      // parse, not safeParse: staffAction answers a NUL in the note as TEXT_CHARACTER_FORBIDDEN naming it.
      const form = ZDecideForm.parse(Object.fromEntries(formData));
      await decideScopeRequest(await getDb(), {
        requestId: form.id,
        staffId: staff.staffId,
        decision: form.decision,
        note: form.note || undefined,
        requestMetadata,
      });
      return { ok: true };
    },
    { revalidate: "/admin/partners" },
  );
}

/** Administrators and supervisors set the origins a partner's document actions may link to. */
export async function setActionOriginsAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return staffAction(
    async ({ staff, requestMetadata }) => {
      const form = ZActionOriginsForm.parse(Object.fromEntries(formData));
      await setPartnerActionOrigins(await getDb(), {
        staffId: staff.staffId,
        input: {
          partnerId: form.partnerId,
          origins: form.origins
            .split(/\r?\n/)
            .map((l) => l.trim())
            .filter(Boolean),
        },
        requestMetadata,
      });
      return { ok: true };
    },
    { revalidate: "/admin/partners" },
  );
}

const FIELD_OF_CODE: Record<string, string> = {
  PARTNER_CORPORATE_NUMBER_INVALID: "corporateNumber",
  PARTNER_ALREADY_REGISTERED: "corporateNumber",
  PARTNER_CSR_INVALID: "csr",
  PARTNER_USER_EMAIL_TAKEN: "ownerEmail",
};

/**
 * A partner officer or administrator registers a partner: the organisation certificate comes from
 * the partner CA (`${PORTAL_ORIGIN}/partner-ca`, the simulator in development) and the owner's
 * invitation leaves by e-mail (SMTP_URL); without SMTP the link is shown once to pass on.
 */
export async function registerPartnerAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return staffAction(
    async ({ staff, requestMetadata }) => {
      const parsed = ZRegisterPartnerForm.safeParse(Object.fromEntries(formData));
      if (!parsed.success) {
        const fields = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), "invalid"]));
        return formRefusal(fields, parsed.error);
      }
      const form = parsed.data;
      const config = env();
      const transport = getSmtpTransport();
      const out = await registerPartner(
        await getDb(),
        {
          staffId: staff.staffId,
          slug: form.slug,
          name: form.name,
          nameEn: form.nameEn,
          kind: form.kind as TRegisterPartner["kind"],
          corporateNumber: form.corporateNumber,
          ownerName: form.ownerName,
          ownerEmail: form.ownerEmail,
          csr: form.csr || undefined,
          requestMetadata,
        },
        {
          partnerCa: createPartnerCaClient({
            baseUrl: `${new URL(config.PORTAL_ORIGIN).origin}/partner-ca`,
            token: partnerCaIssueToken(secretsEncryptionKey(config)),
          }),
          mailer: transport ? { transport, from: config.MAIL_FROM } : undefined,
          portalOrigin: config.PORTAL_ORIGIN,
        },
      );
      return {
        ok: true,
        subject: form.name,
        ...(out.mailed ? {} : { url: out.invitationUrl }),
        report: { mailed: out.mailed, certificateSerial: out.certificate?.serialHex ?? null },
      };
    },
    {
      revalidate: "/admin/partners",
      roles: PARTNER_ONBOARDING_ROLES,
      fieldErrorsOf: (err) => (FIELD_OF_CODE[err.code] ? { [FIELD_OF_CODE[err.code]!]: err.code } : undefined),
    },
  );
}

/** Suspend (with a reason) or reactivate a partner (lib checks the role again and audits). */
export async function setPartnerStatusAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return staffAction(
    async ({ staff, requestMetadata }) => {
      const form = ZPartnerStatusForm.parse(Object.fromEntries(formData));
      const active = form.active === "true";
      if (!active && !form.reason) return formRefusal({ reason: "reasonRequired" });
      const { changed } = await setPartnerActive(await getDb(), {
        staffId: staff.staffId,
        partnerId: form.partnerId,
        active,
        reason: form.reason || undefined,
        requestMetadata,
      });
      return { ok: true, subject: changed ? (active ? "reactivated" : "suspended") : "unchanged" };
    },
    { revalidate: "/admin/partners", roles: PARTNER_ONBOARDING_ROLES },
  );
}
