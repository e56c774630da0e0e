"use server";

import { z } from "zod";
import { residentAction, type TActionState } from "@/app/_server/action";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { ZDocumentDomain } from "@/lib/mailbox/document-types/define-document-type";
import { grantProxy } from "@/lib/proxies/grant-proxy";
import { revokeProxyGrant } from "@/lib/proxies/revoke-proxy-grant";
import { setProxyProtection } from "@/lib/proxies/set-proxy-protection";

// Personal-data actions: a card login within the step-up window, as the page that posts them.
const PROXIES_ACTION = { stepUp: true, revalidate: "/settings/proxies" } as const;

/** Adds a proxy (validated again in lib/proxies with ZGrantProxyInput). */
export async function grantProxyAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return residentAction(async ({ resident, channel, requestMetadata }) => {
    const domains = ZDocumentDomain.array().safeParse(formData.getAll("domains"));
    if (!domains.success) throw new AppError("VALIDATION_FAILED");
    await grantProxy(await getDb(), {
      principalId: resident.residentId,
      input: {
        registryNumber: String(formData.get("registryNumber") ?? ""),
        dateOfBirth: String(formData.get("dateOfBirth") ?? ""),
        access: formData.get("access") === "READ_ACT" ? "READ_ACT" : "READ",
        domains: domains.data,
        endsOn: String(formData.get("endsOn") ?? ""),
      },
      channel,
      requestMetadata,
    });
    return { ok: true };
  }, PROXIES_ACTION);
}

const ZRevokeGrantForm = z.object({ id: z.uuid(), kind: z.literal("grant") });

/** Revokes one of the resident's proxy grants. */
export async function revokeProxyGrantAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return residentAction(async ({ resident, channel, requestMetadata }) => {
    const form = ZRevokeGrantForm.safeParse(Object.fromEntries(formData));
    if (!form.success) throw new AppError("VALIDATION_FAILED");
    await revokeProxyGrant(await getDb(), {
      principalId: resident.residentId,
      grantId: form.data.id,
      channel,
      requestMetadata,
    });
    return { ok: true };
  }, PROXIES_ACTION);
}

/** Turns the protected-person setting (all proxies frozen) on or off. */
export async function setProxyProtectionAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return residentAction(async ({ resident, channel, requestMetadata }) => {
    await setProxyProtection(await getDb(), {
      residentId: resident.residentId,
      frozen: formData.get("frozen") === "1",
      channel,
      requestMetadata,
    });
    return { ok: true };
  }, PROXIES_ACTION);
}
