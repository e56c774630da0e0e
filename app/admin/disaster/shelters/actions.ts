"use server";

import { z } from "zod";
import { staffAction, type TActionState } from "@/app/_server/action";
import { getDb } from "@/lib/db/client";
import { SHELTER_STAFF_ROLES } from "@/lib/disaster/shelters/dashboard";
import { setShelterOpen } from "@/lib/disaster/shelters/shelters";

const ZToggleForm = z.strictObject({ shelterId: z.uuid(), open: z.enum(["true", "false"]) });

/** Staff open or close a shelter (lib/disaster/shelters/shelters.ts checks the role again and audits). */
export async function setShelterOpenAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return staffAction(
    async ({ staff, requestMetadata }) => {
      const form = ZToggleForm.parse(Object.fromEntries(formData));
      await setShelterOpen(
        { prisma: await getDb() },
        {
          shelterId: form.shelterId,
          open: form.open === "true",
          staff,
          requestMetadata,
        },
      );
      return { ok: true };
    },
    { revalidate: "/admin/disaster/shelters", roles: SHELTER_STAFF_ROLES },
  );
}
