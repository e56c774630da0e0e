"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { residentAction, residentOrLogin, type TActionState } from "@/app/_server/action";
import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";
import { archiveDocument } from "@/lib/mailbox/archive-document";
import { revokeShare } from "@/lib/mailbox/revoke-share";
import { shareDocument } from "@/lib/mailbox/share-document";
import { ZArchiveForm, ZRevokeForm, ZShareForm } from "./forms";

/** Archives or restores one of the logged-in resident's documents (ownership checked in lib). */
export async function archiveDocumentAction(formData: FormData): Promise<void> {
  const { resident, channel, requestMetadata } = await residentOrLogin();
  const form = ZArchiveForm.safeParse(Object.fromEntries(formData));
  if (!form.success) redirect("/mailbox");
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

/** Shares a document with a linked partner or as a one-time link; the link is returned once (`url`). */
export async function shareDocumentAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  const form = ZShareForm.safeParse(Object.fromEntries(formData));
  return residentAction(
    async ({ resident, channel, requestMetadata }) => {
      if (!form.success) throw new AppError("VALIDATION_FAILED");
      const result = await shareDocument(await getDb(), {
        residentId: resident.residentId,
        documentId: form.data.documentId,
        target: form.data.target === "link" ? { link: true } : { partnerId: form.data.partnerId ?? "" },
        channel,
        requestMetadata,
      });
      return {
        ok: true,
        ...(result.token ? { url: `${env().PORTAL_ORIGIN}/api/v1/share-links/${result.token}` } : {}),
      };
    },
    form.success ? { revalidate: `/mailbox/${form.data.documentId}` } : {},
  );
}

/** Revokes one of the resident's shares. */
export async function revokeShareAction(formData: FormData): Promise<void> {
  const { resident, channel, requestMetadata } = await residentOrLogin();
  const form = ZRevokeForm.safeParse(Object.fromEntries(formData));
  if (!form.success) redirect("/mailbox");
  await revokeShare(await getDb(), {
    residentId: resident.residentId,
    shareId: form.data.shareId,
    channel,
    requestMetadata,
  });
  revalidatePath(`/mailbox/${form.data.documentId}`);
  redirect(`/mailbox/${form.data.documentId}`);
}
