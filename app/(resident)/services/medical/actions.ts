"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { residentOrLogin } from "@/app/_server/action";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { addSelfEntry, removeSelfEntry } from "@/lib/services/emergency/self-entries";
import { revokeEmergencyConsent, setEmergencyConsent } from "@/lib/services/emergency/set-emergency-consent";
import { EMERGENCY_PARTS, ZEmergencyAudience } from "@/lib/services/emergency/schemas";

const PAGE = "/services/medical";

/** Runs a write and answers with a redirect to the page: `?saved=…` or `?error=CODE` (never a 500 for bad input). */
async function writeThenBack(work: () => Promise<void>, saved: string): Promise<never> {
  let to = `${PAGE}?saved=${saved}`;
  try {
    await work();
  } catch (err) {
    if (err instanceof AppError) to = `${PAGE}?error=${err.code}`;
    else if (err instanceof z.ZodError) to = `${PAGE}?error=VALIDATION_FAILED`;
    else throw err;
  }
  revalidatePath(PAGE);
  redirect(to);
}

function text(formData: FormData, name: string): string | undefined {
  const v = formData.get(name);
  return typeof v === "string" && v.trim() !== "" ? v : undefined;
}

/** Saves the resident's choice for one audience (parts checked, break-glass allowed or not). */
export async function saveEmergencyConsentAction(formData: FormData): Promise<void> {
  const { resident, channel, requestMetadata } = await residentOrLogin({ login: `/login?next=${PAGE}` });
  await writeThenBack(
    async () => {
      const audience = ZEmergencyAudience.parse(formData.get("audience"));
      const intent = formData.get("intent");
      if (intent === "withdraw") {
        await revokeEmergencyConsent(await getDb(), {
          residentId: resident.residentId,
          audience,
          channel,
          requestMetadata,
        });
        return;
      }
      await setEmergencyConsent(await getDb(), {
        residentId: resident.residentId,
        channel,
        requestMetadata,
        input: {
          audience,
          parts: EMERGENCY_PARTS.filter((p) => formData.get(`part:${p}`) === "on"),
          breakGlass: formData.get("breakGlass") === "on",
        },
      });
    },
    formData.get("intent") === "withdraw" ? "withdrawn" : "consent",
  );
}

/** Adds a self-reported line. */
export async function addSelfEntryAction(formData: FormData): Promise<void> {
  const { resident, channel, requestMetadata } = await residentOrLogin({ login: `/login?next=${PAGE}` });
  await writeThenBack(async () => {
    await addSelfEntry(await getDb(), {
      residentId: resident.residentId,
      channel,
      requestMetadata,
      input: {
        kind: formData.get("kind") as never,
        text: text(formData, "text") ?? "",
        detail: text(formData, "detail"),
      },
    });
  }, "entry");
}

/** Removes one of the resident's own lines. */
export async function removeSelfEntryAction(formData: FormData): Promise<void> {
  const { resident, channel, requestMetadata } = await residentOrLogin({ login: `/login?next=${PAGE}` });
  await writeThenBack(async () => {
    const entryId = z.uuid().parse(formData.get("entryId"));
    await removeSelfEntry(await getDb(), { residentId: resident.residentId, channel, requestMetadata, entryId });
  }, "removed");
}
