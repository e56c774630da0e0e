"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { residentOrLogin } from "@/app/_server/action";
import { getDb } from "@/lib/db/client";
import {
  listNotificationPreferences,
  setNotificationPreference,
} from "@/lib/notifications/set-notification-preference";

/**
 * Saves the per-type e-mail choices of the form (a checked box = on). Only the types whose
 * choice changed are written, so the audit log records real changes.
 */
export async function saveNotificationPreferencesAction(formData: FormData): Promise<void> {
  const { resident, channel, requestMetadata } = await residentOrLogin({
    login: "/login?next=/settings/notifications",
  });
  const prisma = await getDb();
  const current = await listNotificationPreferences(prisma, resident.residentId);
  for (const pref of current) {
    const wanted = formData.get(`type:${pref.documentType}`) === "on";
    if (wanted === pref.email) continue;
    await setNotificationPreference(prisma, {
      residentId: resident.residentId,
      input: { documentType: pref.documentType, email: wanted },
      channel,
      requestMetadata,
    });
  }
  revalidatePath("/settings/notifications");
  redirect("/settings/notifications?saved=1");
}
