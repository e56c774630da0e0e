"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requirePartner } from "@/app/_server/session";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { createPartnerCredential, ZCredentialMode } from "@/lib/partners/create-partner-credential";
import { revokePartnerCredential } from "@/lib/partners/revoke-partner-credential";
import { rotatePartnerCredential } from "@/lib/partners/rotate-partner-credential";
import { assertPartnerRole, type TPartnerAction } from "@/lib/partners/partner-roles";
import { requestPartnerScopes } from "@/lib/partners/scope-requests";
import { ZApiScope } from "@/lib/partners/scopes";
import { consoleRequestMetadata, type TActionState } from "../_lib/request-context";

const ZCreateForm = z.object({ mode: ZCredentialMode, scopes: z.array(ZApiScope).min(1) });
const ZIdForm = z.object({ id: z.uuid() });
const ZRotateForm = z.object({ id: z.uuid(), grace: z.coerce.number().int().min(0).max(604_800) });
const ZScopeRequestForm = z.object({ scopes: z.array(ZApiScope).min(1), reason: z.string().trim().min(1).max(1000) });

/**
 * Runs a console action for the logged-in partner user; every error becomes a stable code. The
 * role is checked (a refusal audited) before the form is read, so a DEVELOPER posting by hand
 * gets PARTNER_ROLE_FORBIDDEN whatever the body; the lib function checks it again.
 */
async function run(
  action: TPartnerAction,
  fn: (p: NonNullable<Awaited<ReturnType<typeof requirePartner>>>) => Promise<Omit<TActionState, "at">>,
): Promise<TActionState> {
  const at = Date.now();
  const partner = await requirePartner();
  if (!partner) return { ok: false, code: "UNAUTHENTICATED", at };
  try {
    await assertPartnerRole(await getDb(), {
      partnerId: partner.partnerId,
      partnerUser: { id: partner.partnerUserId, role: partner.role },
      action,
      requestMetadata: await consoleRequestMetadata(),
    });
    const result = await fn(partner);
    revalidatePath("/partner/credentials");
    return { ...result, at };
  } catch (err) {
    if (err instanceof AppError) return { ok: false, code: err.code, at };
    if (err instanceof z.ZodError) return { ok: false, code: "VALIDATION_FAILED", at };
    throw err;
  }
}

export async function createCredentialAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return run("credential.issue", async (partner) => {
    const form = ZCreateForm.parse({ mode: formData.get("mode"), scopes: formData.getAll("scopes") });
    const created = await createPartnerCredential(await getDb(), {
      partnerId: partner.partnerId,
      mode: form.mode,
      scopes: form.scopes,
      actor: { type: "partner", id: partner.partnerId },
      partnerUser: { id: partner.partnerUserId, role: partner.role },
      channel: "console",
      requestMetadata: await consoleRequestMetadata(),
    });
    return {
      ok: true,
      subject: created.credential.clientId,
      secret: { id: created.credential.clientId, value: created.clientSecret },
    };
  });
}

export async function rotateCredentialAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return run("credential.rotate", async (partner) => {
    const form = ZRotateForm.parse(Object.fromEntries(formData));
    const rotated = await rotatePartnerCredential(await getDb(), {
      credentialId: form.id,
      partnerId: partner.partnerId,
      graceSeconds: form.grace,
      actor: { type: "partner", id: partner.partnerId },
      partnerUser: { id: partner.partnerUserId, role: partner.role },
      channel: "console",
      requestMetadata: await consoleRequestMetadata(),
    });
    return {
      ok: true,
      subject: rotated.previous.clientId,
      secret: { id: rotated.credential.clientId, value: rotated.clientSecret },
    };
  });
}

export async function revokeCredentialAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return run("credential.revoke", async (partner) => {
    const form = ZIdForm.parse(Object.fromEntries(formData));
    const prisma = await getDb();
    await revokePartnerCredential(prisma, {
      credentialId: form.id,
      partnerId: partner.partnerId,
      reason: "revoked in the partner console",
      actor: { type: "partner", id: partner.partnerId },
      partnerUser: { id: partner.partnerUserId, role: partner.role },
      channel: "console",
      requestMetadata: await consoleRequestMetadata(),
    });
    const row = await prisma.partnerCredential.findUniqueOrThrow({
      where: { id: form.id },
      select: { clientId: true },
    });
    return { ok: true, subject: row.clientId };
  });
}

export async function requestScopesAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return run("scope.request", async (partner) => {
    const form = ZScopeRequestForm.parse({ scopes: formData.getAll("scopes"), reason: formData.get("reason") });
    const req = await requestPartnerScopes(await getDb(), {
      partnerId: partner.partnerId,
      partnerUser: { id: partner.partnerUserId, role: partner.role },
      scopes: form.scopes,
      reason: form.reason,
      requestMetadata: await consoleRequestMetadata(),
    });
    return { ok: true, subject: req.id };
  });
}
