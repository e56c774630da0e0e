"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { residentOrLogin } from "@/app/_server/action";
import { getDb } from "@/lib/db/client";
import { kickNotificationMail } from "@/lib/notifications/smtp-transport";
import { AppError } from "@/lib/errors/app-error";
import { archiveProxyDocument } from "@/lib/proxies/archive-proxy-document";
import { ZArchiveForm } from "./forms";

/** A read-and-act proxy archives or restores a document of the principal (grant checked in lib). */
export async function archiveProxyDocumentAction(formData: FormData): Promise<void> {
  const { resident, channel, requestMetadata } = await residentOrLogin({ stepUp: true });
  const form = ZArchiveForm.safeParse(Object.fromEntries(formData));
  if (!form.success) redirect("/settings/proxies");
  const base = `/proxy/${form.data.principalId}/mailbox`;
  try {
    await archiveProxyDocument(await getDb(), {
      proxyId: resident.residentId,
      principalId: form.data.principalId,
      documentId: form.data.documentId,
      archived: form.data.archived === "1",
      channel,
      requestMetadata,
    });
  } catch (err) {
    if (err instanceof AppError) redirect(`${base}?error=${err.code}`);
    throw err;
  }
  kickNotificationMail(getDb); // the principal's "your proxy archived" mail
  revalidatePath(base);
  redirect(`${base}/${form.data.documentId}`);
}
