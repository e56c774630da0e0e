"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireCardResident } from "@/app/_server/session";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { ZDocumentDomain } from "@/lib/mailbox/document-types/define-document-type";
import { grantProxy } from "@/lib/proxies/grant-proxy";
import { revokeProxyGrant } from "@/lib/proxies/revoke-proxy-grant";
import { setProxyProtection } from "@/lib/proxies/set-proxy-protection";
import { residentRequestContext } from "@/app/_server/request-context";
import type { TRevokeState } from "@/app/_components/revocable-table-client";

export type TProxyFormState = { ok: boolean; code?: string; at?: number };

/** Adds a proxy (validated again in lib/proxies with ZGrantProxyInput). */
export async function grantProxyAction(_prev: TProxyFormState, formData: FormData): Promise<TProxyFormState> {
  const at = Date.now();
  const resident = await requireCardResident();
  if (!resident) return { ok: false, code: "UNAUTHENTICATED", at };
  const domains = ZDocumentDomain.array().safeParse(formData.getAll("domains"));
  if (!domains.success) return { ok: false, code: "VALIDATION_FAILED", at };
  const { channel, requestMetadata } = await residentRequestContext();
  try {
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
  } catch (err) {
    if (err instanceof AppError) return { ok: false, code: err.code, at };
    throw err;
  }
  revalidatePath("/settings/proxies");
  return { ok: true, at };
}

const ZRevokeGrantForm = z.object({ id: z.uuid(), kind: z.literal("grant") });

/** Revokes one of the resident's proxy grants. */
export async function revokeProxyGrantAction(_prev: TRevokeState, formData: FormData): Promise<TRevokeState> {
  const at = Date.now();
  const resident = await requireCardResident();
  if (!resident) return { ok: false, code: "UNAUTHENTICATED", at };
  const form = ZRevokeGrantForm.safeParse(Object.fromEntries(formData));
  if (!form.success) return { ok: false, code: "VALIDATION_FAILED", at };
  const { channel, requestMetadata } = await residentRequestContext();
  try {
    await revokeProxyGrant(await getDb(), {
      principalId: resident.residentId,
      grantId: form.data.id,
      channel,
      requestMetadata,
    });
  } catch (err) {
    if (err instanceof AppError) return { ok: false, code: err.code, at };
    throw err;
  }
  revalidatePath("/settings/proxies");
  return { ok: true, at };
}

/** Turns the protected-person setting (all proxies frozen) on or off. */
export async function setProxyProtectionAction(_prev: TProxyFormState, formData: FormData): Promise<TProxyFormState> {
  const at = Date.now();
  const resident = await requireCardResident();
  if (!resident) return { ok: false, code: "UNAUTHENTICATED", at };
  const { channel, requestMetadata } = await residentRequestContext();
  await setProxyProtection(await getDb(), {
    residentId: resident.residentId,
    frozen: formData.get("frozen") === "1",
    channel,
    requestMetadata,
  });
  revalidatePath("/settings/proxies");
  return { ok: true, at };
}
