"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { requireResident } from "@/app/_server/session";
import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";
import { archiveDocument } from "@/lib/mailbox/archive-document";
import { revokeShare } from "@/lib/mailbox/revoke-share";
import { shareDocument } from "@/lib/mailbox/share-document";
import { residentRequestContext } from "@/app/_server/request-context";

const ZArchiveForm = z.object({ documentId: z.uuid(), archived: z.enum(["1", "0"]) });

/** Archives or restores one of the logged-in resident's documents (ownership checked in lib). */
export async function archiveDocumentAction(formData: FormData): Promise<void> {
  const resident = await requireResident();
  if (!resident) redirect("/login");
  const form = ZArchiveForm.safeParse(Object.fromEntries(formData));
  if (!form.success) redirect("/mailbox");
  const { channel, requestMetadata } = await residentRequestContext();
  await archiveDocument(await getDb(), {
    residentId: resident.residentId,
    documentId: form.data.documentId,
    archived: form.data.archived === "1",
    channel,
    requestMetadata,
  });
  revalidatePath("/mailbox");
  redirect(form.data.archived === "1" ? "/mailbox" : `/mailbox/${form.data.documentId}`);
}

export type TShareActionState = { ok: boolean; url?: string; code?: string; message?: string };

const ZShareForm = z.object({
  documentId: z.uuid(),
  target: z.enum(["partner", "link"]),
  partnerId: z.string().optional(),
});

/** Shares a document with a linked partner or as a one-time link; the link is returned once. */
export async function shareDocumentAction(_prev: TShareActionState, formData: FormData): Promise<TShareActionState> {
  const resident = await requireResident();
  if (!resident) return { ok: false, code: "UNAUTHENTICATED" };
  const form = ZShareForm.safeParse(Object.fromEntries(formData));
  if (!form.success) return { ok: false, code: "VALIDATION_FAILED" };
  const { channel, requestMetadata } = await residentRequestContext();
  try {
    const result = await shareDocument(await getDb(), {
      residentId: resident.residentId,
      documentId: form.data.documentId,
      target: form.data.target === "link" ? { link: true } : { partnerId: form.data.partnerId ?? "" },
      channel,
      requestMetadata,
    });
    revalidatePath(`/mailbox/${form.data.documentId}`);
    return {
      ok: true,
      ...(result.token ? { url: `${env().PORTAL_ORIGIN}/api/v1/share-links/${result.token}` } : {}),
    };
  } catch (err) {
    if (err instanceof AppError) return { ok: false, code: err.code };
    throw err;
  }
}

const ZRevokeForm = z.object({ shareId: z.uuid(), documentId: z.uuid() });

/** Revokes one of the resident's shares. */
export async function revokeShareAction(formData: FormData): Promise<void> {
  const resident = await requireResident();
  if (!resident) redirect("/login");
  const form = ZRevokeForm.safeParse(Object.fromEntries(formData));
  if (!form.success) redirect("/mailbox");
  const { channel, requestMetadata } = await residentRequestContext();
  await revokeShare(await getDb(), {
    residentId: resident.residentId,
    shareId: form.data.shareId,
    channel,
    requestMetadata,
  });
  revalidatePath(`/mailbox/${form.data.documentId}`);
  redirect(`/mailbox/${form.data.documentId}`);
}
