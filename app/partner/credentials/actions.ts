"use server";

import { partnerConsoleAction, type TActionState } from "@/app/_server/action";
import { getDb } from "@/lib/db/client";
import { createPartnerCredential } from "@/lib/partners/create-partner-credential";
import { revokePartnerCredential } from "@/lib/partners/revoke-partner-credential";
import { rotatePartnerCredential } from "@/lib/partners/rotate-partner-credential";
import { requestPartnerScopes } from "@/lib/partners/scope-requests";
import { ZCreateForm, ZIdForm, ZRotateForm, ZScopeRequestForm } from "./forms";

export async function createCredentialAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return partnerConsoleAction(
    async ({ partner, partnerUser, requestMetadata }) => {
      const form = ZCreateForm.parse({ mode: formData.get("mode"), scopes: formData.getAll("scopes") });
      const created = await createPartnerCredential(await getDb(), {
        partnerId: partner.partnerId,
        mode: form.mode,
        scopes: form.scopes,
        actor: { type: "partner", id: partner.partnerId },
        partnerUser,
        channel: "console",
        requestMetadata,
      });
      return {
        ok: true,
        subject: created.credential.clientId,
        secret: { id: created.credential.clientId, value: created.clientSecret },
      };
    },
    { role: "credential.issue", revalidate: "/partner/credentials" },
  );
}

export async function rotateCredentialAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return partnerConsoleAction(
    async ({ partner, partnerUser, requestMetadata }) => {
      const form = ZRotateForm.parse(Object.fromEntries(formData));
      const rotated = await rotatePartnerCredential(await getDb(), {
        credentialId: form.id,
        partnerId: partner.partnerId,
        graceSeconds: form.grace,
        actor: { type: "partner", id: partner.partnerId },
        partnerUser,
        channel: "console",
        requestMetadata,
      });
      return {
        ok: true,
        subject: rotated.previous.clientId,
        secret: { id: rotated.credential.clientId, value: rotated.clientSecret },
      };
    },
    { role: "credential.rotate", revalidate: "/partner/credentials" },
  );
}

export async function revokeCredentialAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return partnerConsoleAction(
    async ({ partner, partnerUser, requestMetadata }) => {
      const form = ZIdForm.parse(Object.fromEntries(formData));
      const prisma = await getDb();
      await revokePartnerCredential(prisma, {
        credentialId: form.id,
        partnerId: partner.partnerId,
        reason: "revoked in the partner console",
        actor: { type: "partner", id: partner.partnerId },
        partnerUser,
        channel: "console",
        requestMetadata,
      });
      const row = await prisma.partnerCredential.findUniqueOrThrow({
        where: { id: form.id },
        select: { clientId: true },
      });
      return { ok: true, subject: row.clientId };
    },
    { role: "credential.revoke", revalidate: "/partner/credentials" },
  );
}

export async function requestScopesAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return partnerConsoleAction(
    async ({ partner, partnerUser, requestMetadata }) => {
      const form = ZScopeRequestForm.parse({ scopes: formData.getAll("scopes"), reason: formData.get("reason") });
      const req = await requestPartnerScopes(await getDb(), {
        partnerId: partner.partnerId,
        partnerUser,
        scopes: form.scopes,
        reason: form.reason,
        requestMetadata,
      });
      return { ok: true, subject: req.id };
    },
    { role: "scope.request", revalidate: "/partner/credentials" },
  );
}
