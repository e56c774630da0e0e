"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { z } from "zod";
import { requireStaff } from "@/app/_server/session";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { requestMetadataOf } from "@/lib/http/request-metadata";
import { decideScopeRequest } from "@/lib/partners/scope-requests";

export type TDecideState = { ok: boolean; code?: string; at?: number };

const ZDecideForm = z.object({
  id: z.uuid(),
  decision: z.enum(["APPROVE", "REJECT"]),
  note: z.string().trim().max(1000).optional(),
});

/** Staff approve or reject a partner's scope request (lib/partners/scope-requests.ts; audited there). */
export async function decideScopeRequestAction(_prev: TDecideState, formData: FormData): Promise<TDecideState> {
  const at = Date.now();
  const staff = await requireStaff();
  if (!staff) return { ok: false, code: "UNAUTHENTICATED", at };
  const form = ZDecideForm.safeParse(Object.fromEntries(formData));
  if (!form.success) return { ok: false, code: "VALIDATION_FAILED", at };
  const requestMetadata = requestMetadataOf(await headers());
  try {
    await decideScopeRequest(await getDb(), {
      requestId: form.data.id,
      staffId: staff.staffId,
      decision: form.data.decision,
      note: form.data.note || undefined,
      requestMetadata,
    });
  } catch (err) {
    if (err instanceof AppError) return { ok: false, code: err.code, at };
    throw err;
  }
  revalidatePath("/admin/partners");
  return { ok: true, at };
}
