"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireCardResident } from "@/app/_server/session";
import { unlinkPartner } from "@/lib/consent/unlink-partner";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { revokeShare } from "@/lib/mailbox/revoke-share";
import { residentRequestContext } from "@/app/_server/request-context";
import type { TRevokeState } from "@/app/_components/revocable-table-client";

const ZRevokeConsentForm = z.object({ id: z.uuid(), kind: z.enum(["link", "share"]) });

/** Revokes a delivery consent (partner link) or a partner's read access (share) of the resident. */
export async function revokeConsentAction(_prev: TRevokeState, formData: FormData): Promise<TRevokeState> {
  const at = Date.now();
  const resident = await requireCardResident();
  if (!resident) return { ok: false, code: "UNAUTHENTICATED", at };
  const form = ZRevokeConsentForm.safeParse(Object.fromEntries(formData));
  if (!form.success) return { ok: false, code: "VALIDATION_FAILED", at };
  const { channel, requestMetadata } = await residentRequestContext();
  try {
    const prisma = await getDb();
    if (form.data.kind === "link") {
      await unlinkPartner(prisma, { residentId: resident.residentId, linkId: form.data.id, channel, requestMetadata });
    } else {
      await revokeShare(prisma, { residentId: resident.residentId, shareId: form.data.id, channel, requestMetadata });
    }
  } catch (err) {
    if (err instanceof AppError) return { ok: false, code: err.code, at };
    throw err;
  }
  revalidatePath("/settings/consents");
  return { ok: true, at };
}
