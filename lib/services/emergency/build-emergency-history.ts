import { z } from "zod";
import type { Prisma } from "../../db/client";
import { findDocumentType } from "../../mailbox/document-types/registry";
import type {
  TCheckupDto,
  TEmergencyHistoryDto,
  TEmergencyLine,
  TEmergencyPart,
  TEmergencySource,
  TSelfEntryKind,
} from "./schemas";

/** The document types the history reads (signed by hospitals; lib/mailbox/document-types). */
export const HISTORY_DOCUMENT_TYPES = ["medical-summary", "checkup-result", "medication-list"] as const;

/** Check-ups shown: the newest few are what a crew or an emergency room can use. */
const CHECKUPS_SHOWN = 3;

/**
 * A medication list delivered by a hospital visit (type `medication-list`, defined by the
 * hospital area). Read leniently, so this history keeps working whatever optional fields that
 * type grows: an array of medicines under `medications` or `items`, each with a name and
 * optionally a dose / dosage / usage.
 */
const ZLenientMedicationList = z.looseObject({
  hospital: z.string().optional(),
  issuedOn: z.string().optional(),
  prescribedOn: z.string().optional(),
  medications: z.array(z.looseObject({})).optional(),
  items: z.array(z.looseObject({})).optional(),
});
function medicineOf(item: Record<string, unknown>): { name: string; dose: string | null } | null {
  const name = [item.name, item.drugName, item.medicine].find((v) => typeof v === "string" && v.trim());
  if (typeof name !== "string") return null;
  const dose = [item.dose, item.dosage, item.usage, item.instructions].find((v) => typeof v === "string" && v.trim());
  return { name: name.trim(), dose: typeof dose === "string" ? dose.trim() : null };
}

type TDocRow = {
  id: string;
  type: string;
  payload: Prisma.JsonValue;
  createdAt: Date;
  issuerPartner: { name: string; nameEn: string };
};

const SELF_KIND_OF_PART: Partial<Record<TEmergencyPart, TSelfEntryKind>> = {
  ALLERGIES: "ALLERGY",
  CONDITIONS: "CONDITION",
  MEDICATION: "MEDICATION",
  CONTACTS: "CONTACT",
};

/**
 * The emergency history of one resident, limited to `parts`, from (a) the hospitals' signed
 * documents in the mailbox whose signature verified at delivery (newest medical summary and
 * medication list per hospital, the newest check-ups) and (b) the resident's own entries, each
 * marked self-reported. Runs inside the caller's transaction (which carries the audit event).
 * Allergies come first in the DTO and on screen; severe ones are flagged.
 */
export async function buildEmergencyHistory(
  tx: Prisma.TransactionClient,
  o: { residentId: string; parts: readonly TEmergencyPart[] },
): Promise<Omit<TEmergencyHistoryDto, "access">> {
  const resident = await tx.resident.findUniqueOrThrow({
    where: { id: o.residentId },
    select: {
      familyName: true,
      givenName: true,
      familyNameKana: true,
      givenNameKana: true,
      dateOfBirth: true,
      gender: true,
    },
  });
  const parts = [...new Set(o.parts)];
  const has = (p: TEmergencyPart) => parts.includes(p);
  const docs: TDocRow[] = await tx.mailboxDocument.findMany({
    where: { residentId: o.residentId, type: { in: [...HISTORY_DOCUMENT_TYPES] }, signatureValid: true },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 200,
    select: {
      id: true,
      type: true,
      payload: true,
      createdAt: true,
      issuerPartner: { select: { name: true, nameEn: true } },
    },
  });
  const selfKinds = parts.flatMap((p) => SELF_KIND_OF_PART[p] ?? []);
  const selfRows = selfKinds.length
    ? await tx.emergencySelfEntry.findMany({
        where: { residentId: o.residentId, removedAt: null, kind: { in: selfKinds } },
        orderBy: { createdAt: "asc" },
        select: { kind: true, text: true, detail: true, createdAt: true },
      })
    : [];

  const source = (d: TDocRow, issuedOn: string | null): TEmergencySource => ({
    kind: "signed",
    issuer: d.issuerPartner.name,
    issuerEn: d.issuerPartner.nameEn,
    documentId: d.id,
    issuedOn,
  });
  const allergies: TEmergencyLine[] = [];
  const conditions: TEmergencyLine[] = [];
  const medications: TEmergencyLine[] = [];
  const checkups: TCheckupDto[] = [];
  let bloodType: string | null = null;
  // Newest document of each (type, issuer): an older summary of the same hospital is superseded.
  const seen = new Set<string>();
  const summaryType = findDocumentType("medical-summary");
  const checkupType = findDocumentType("checkup-result");
  for (const d of docs) {
    if (d.type === "checkup-result") {
      if (!has("CHECKUPS") || checkups.length >= CHECKUPS_SHOWN || !checkupType) continue;
      const p = checkupType.schema.safeParse(d.payload);
      if (!p.success) continue;
      const c = p.data as {
        facility: string;
        checkedOn: string;
        summary: string;
        items: { name: string; value: string; unit?: string; flag?: string }[];
      };
      checkups.push({
        facility: c.facility,
        checkedOn: c.checkedOn,
        summary: c.summary,
        items: c.items.map((i) => ({ name: i.name, value: i.value, unit: i.unit ?? null, flag: i.flag ?? null })),
        source: source(d, c.checkedOn),
      });
      continue;
    }
    const key = `${d.type}\n${d.issuerPartner.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (d.type === "medical-summary" && summaryType) {
      const p = summaryType.schema.safeParse(d.payload);
      if (!p.success) continue;
      const s = p.data as {
        issuedOn: string;
        bloodType?: string;
        allergies: { substance: string; reaction?: string; severity?: string }[];
        conditions: { name: string; note?: string; since?: string }[];
        medications: { name: string; dose?: string }[];
      };
      bloodType ??= s.bloodType ?? null;
      const src = source(d, s.issuedOn);
      for (const a of s.allergies) {
        allergies.push({ text: a.substance, detail: a.reaction ?? null, severe: a.severity === "severe", source: src });
      }
      for (const c of s.conditions) {
        conditions.push({ text: c.name, detail: c.note ?? c.since ?? null, severe: false, source: src });
      }
      for (const m of s.medications)
        medications.push({ text: m.name, detail: m.dose ?? null, severe: false, source: src });
    } else if (d.type === "medication-list") {
      const p = ZLenientMedicationList.safeParse(d.payload);
      if (!p.success) continue;
      const src = source(d, p.data.issuedOn ?? p.data.prescribedOn ?? d.createdAt.toISOString().slice(0, 10));
      for (const item of [...(p.data.medications ?? []), ...(p.data.items ?? [])]) {
        const m = medicineOf(item);
        if (m) medications.push({ text: m.name, detail: m.dose, severe: false, source: src });
      }
    }
  }
  const self = (kind: TSelfEntryKind): TEmergencyLine[] =>
    selfRows
      .filter((r) => r.kind === kind)
      .map((r) => ({
        text: r.text,
        detail: r.detail,
        severe: false,
        source: { kind: "self", enteredAt: r.createdAt.toISOString() },
      }));
  // Severe allergies first, then the rest in document order, then the resident's own.
  const allergyLines = [
    ...allergies.filter((a) => a.severe),
    ...allergies.filter((a) => !a.severe),
    ...self("ALLERGY"),
  ];
  return {
    patient: {
      name: `${resident.familyName}\u3000${resident.givenName}`,
      nameKana: `${resident.familyNameKana}\u3000${resident.givenNameKana}`,
      dateOfBirth: resident.dateOfBirth.toISOString().slice(0, 10),
      gender: resident.gender,
      // Blood type comes from a hospital's summary: shown with the clinical parts only.
      bloodType: has("ALLERGIES") || has("CONDITIONS") || has("MEDICATION") ? bloodType : null,
    },
    parts: EMERGENCY_PART_ORDER.filter((p) => has(p)),
    ...(has("ALLERGIES") ? { allergies: allergyLines } : {}),
    ...(has("CONDITIONS") ? { conditions: [...conditions, ...self("CONDITION")] } : {}),
    ...(has("MEDICATION") ? { medications: [...medications, ...self("MEDICATION")] } : {}),
    ...(has("CHECKUPS") ? { checkups } : {}),
    ...(has("CONTACTS") ? { contacts: self("CONTACT") } : {}),
  };
}

const EMERGENCY_PART_ORDER: readonly TEmergencyPart[] = [
  "ALLERGIES",
  "MEDICATION",
  "CONDITIONS",
  "CHECKUPS",
  "CONTACTS",
];
