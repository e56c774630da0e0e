"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { requireResident } from "@/app/_server/session";
import { getDb } from "@/lib/db/client";
import { archiveDocument } from "@/lib/mailbox/archive-document";
import { residentRequestContext } from "./request-context";

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
