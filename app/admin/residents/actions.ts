"use server";

import { z } from "zod";
import { staffAction, type TActionState } from "@/app/_server/action";
import { getDb } from "@/lib/db/client";
import { issueCardAtCounter, unlockCardPin } from "@/lib/services/residents/card-counter";
import { liftResidentProtection, setResidentProtection } from "@/lib/protection/protection";
import { recordRegistryEvent, registerMoveIn } from "@/lib/services/residents/registry-events";
import { getResidentsContext } from "@/lib/services/residents/residents-context";
import { REGISTRY_ROLES, SUPERVISOR_ROLES } from "@/lib/services/residents/staff-roles";

const field = (f: FormData, name: string) => {
  const v = f.get(name);
  return typeof v === "string" ? v : undefined;
};

const names = (f: FormData, prefix = "") => ({
  familyName: field(f, `${prefix}familyName`),
  givenName: field(f, `${prefix}givenName`),
  familyNameKana: field(f, `${prefix}familyNameKana`),
  givenNameKana: field(f, `${prefix}givenNameKana`),
});

/** The record page to re-render after an action on it (only a well-formed id). */
function recordPath(f: FormData): string | undefined {
  const id = z.uuid().safeParse(field(f, "residentId"));
  return id.success ? `/admin/residents/${id.data}` : undefined;
}

/** The form's fields as the event's input (lib validates it: zod, safe text). */
function eventInput(f: FormData): unknown {
  const kind = field(f, "kind");
  const reason = field(f, "reason");
  switch (kind) {
    case "move_out":
    case "death":
      return { kind, reason, date: field(f, "date") };
    case "change_name":
      return { kind, reason, ...names(f) };
    case "card_lost":
    case "card_revoked":
      return { kind, reason };
    case "birth":
      return {
        kind,
        reason,
        child: {
          ...names(f, "child."),
          dateOfBirth: field(f, "child.dateOfBirth"),
          gender: field(f, "child.gender"),
          householdRelation: field(f, "child.householdRelation"),
        },
      };
    default:
      return { kind };
  }
}

/** A registry event on a resident's record (lib checks the role per event again and audits). */
export async function registryEventAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return staffAction(
    async ({ staff, requestMetadata }) => {
      const residentId = z.uuid().parse(field(formData, "residentId"));
      const result = await recordRegistryEvent(await getResidentsContext(), {
        staff: { staffId: staff.staffId, roles: staff.roles },
        residentId,
        input: eventInput(formData),
        requestMetadata,
      });
      return { ok: true, subject: result.kind, message: String(result.revoked.length) };
    },
    { roles: REGISTRY_ROLES, revalidate: recordPath(formData) },
  );
}

/** A move in: a new resident in a new household (then found through the search). */
export async function moveInAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return staffAction(
    async ({ staff, requestMetadata }) => {
      const result = await registerMoveIn(await getResidentsContext(), {
        staff: { staffId: staff.staffId, roles: staff.roles },
        input: {
          reason: field(formData, "reason"),
          person: {
            ...names(formData),
            dateOfBirth: field(formData, "dateOfBirth"),
            gender: field(formData, "gender"),
            householdRelation: field(formData, "householdRelation"),
          },
          address: field(formData, "address"),
          postalCode: field(formData, "postalCode"),
          districtCode: field(formData, "districtCode"),
        },
        requestMetadata,
      });
      return { ok: true, subject: "move_in", message: result.newResidentId };
    },
    { roles: REGISTRY_ROLES },
  );
}

/** Set or lift a protected-person period (lib: CLERK+ sets, SUPERVISOR/ADMIN lifts; audited). */
export async function protectionAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return staffAction(
    async ({ staff, requestMetadata }) => {
      const residentId = z.uuid().parse(field(formData, "residentId"));
      const who = { staffId: staff.staffId, roles: staff.roles };
      if (field(formData, "op") === "lift") {
        await liftResidentProtection(await getDb(), {
          staff: who,
          residentId,
          input: { reason: field(formData, "reason") },
          requestMetadata,
        });
        return { ok: true, subject: "lifted" };
      }
      await setResidentProtection(await getDb(), {
        staff: who,
        residentId,
        input: { kind: field(formData, "kind"), reason: field(formData, "reason") },
        requestMetadata,
      });
      return { ok: true, subject: "set" };
    },
    { revalidate: recordPath(formData) },
  );
}

/** 暗証番号のロック解除 at the counter: J-LIS resets the locked PIN of the card (lib audits it). */
export async function pinUnlockAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return staffAction(
    async ({ staff, requestMetadata }) => {
      const residentId = z.uuid().parse(field(formData, "residentId"));
      const note = field(formData, "note");
      await unlockCardPin(await getResidentsContext(), {
        staff: { staffId: staff.staffId, roles: staff.roles },
        residentId,
        input: {
          slot: field(formData, "slot"),
          identityDocument: field(formData, "identityDocument"),
          ...(note?.trim() ? { note } : {}),
        },
        requestMetadata,
      });
      return { ok: true, subject: "pin_unlocked" };
    },
    { roles: REGISTRY_ROLES, revalidate: recordPath(formData) },
  );
}

/** 交付 at the counter: J-LIS writes a new card (SUPERVISOR/ADMIN; lib audits it). */
export async function cardIssueAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return staffAction(
    async ({ staff, requestMetadata }) => {
      const residentId = z.uuid().parse(field(formData, "residentId"));
      const note = field(formData, "note");
      const result = await issueCardAtCounter(await getResidentsContext(), {
        staff: { staffId: staff.staffId, roles: staff.roles },
        residentId,
        input: { identityDocument: field(formData, "identityDocument"), ...(note?.trim() ? { note } : {}) },
        requestMetadata,
      });
      return { ok: true, subject: "card_issued", message: String(result.revoked.length) };
    },
    { roles: SUPERVISOR_ROLES, revalidate: recordPath(formData) },
  );
}
