import { randomUUID } from "node:crypto";
import type { Prisma, PrismaClient } from "@/lib/db/client";
import { AppError, validationFailed } from "@/lib/errors/app-error";
import { canonicalJsonBytes } from "@/lib/mailbox/canonical-json";
import {
  APPLICATION_FORMAT,
  type TApplicationContent,
  type TApplicationDraft,
  ZApplicationContent,
  ZApplicationDraft,
} from "./schemas";

type TDb = PrismaClient | Prisma.TransactionClient;

/** Options of {@link prepareApplication}. */
export type TPrepareApplicationOptions = {
  residentId: string;
  /** The form as posted; validated here against ZApplicationDraft. */
  draft: unknown;
  /** A returned application being corrected: the next revision of it. */
  applicationId?: string;
  now: Date;
};

/** The content to sign and its exact bytes (what the card signs), as text for the page. */
export type TPreparedApplication = { content: TApplicationContent; canonical: string };

/**
 * Checks a form against the registry and gives back the content the resident will sign: the
 * form plus who applies, the application id and revision, and when it was prepared. Nothing is
 * stored: the signature is what makes it an application ({@link submitApplication}).
 * VALIDATION_FAILED, APPLICATION_HOUSEHOLD_MISMATCH, APPLICATION_DISTRICT_UNKNOWN,
 * APPLICATION_NOT_RETURNED, NOT_FOUND.
 */
export async function prepareApplication(db: TDb, o: TPrepareApplicationOptions): Promise<TPreparedApplication> {
  const parsed = ZApplicationDraft.safeParse(o.draft);
  if (!parsed.success) throw validationFailed(parsed.error);
  const draft = parsed.data;
  const applicant = await db.resident.findUnique({
    where: { id: o.residentId },
    select: { registryNumber: true, familyName: true, givenName: true, leftAt: true },
  });
  if (!applicant || applicant.leftAt) throw new AppError("NOT_FOUND", { message: "No current registry record." });
  await checkDraftAgainstRegistry(db, o.residentId, draft);
  let applicationId: string = randomUUID();
  let revision = 1;
  if (o.applicationId) {
    const previous = await db.serviceApplication.findUnique({
      where: { id: o.applicationId },
      select: { residentId: true, status: true, revision: true, kind: true },
    });
    if (!previous || previous.residentId !== o.residentId) throw new AppError("NOT_FOUND");
    if (previous.status !== "RETURNED") throw new AppError("APPLICATION_NOT_RETURNED");
    if (kindOf(previous.kind) !== draft.kind) {
      throw new AppError("VALIDATION_FAILED", { message: "A correction keeps the kind of the application." });
    }
    applicationId = o.applicationId;
    revision = previous.revision + 1;
  }
  const content = ZApplicationContent.parse({
    format: APPLICATION_FORMAT,
    kind: draft.kind,
    applicationId,
    revision,
    applicant: { registryNumber: applicant.registryNumber, name: `${applicant.familyName} ${applicant.givenName}` },
    preparedAt: o.now.toISOString(),
    form: draft.form,
  });
  return { content, canonical: new TextDecoder().decode(canonicalJsonBytes(content)) };
}

/** The form part of signed content. */
export function draftOf(content: TApplicationContent): TApplicationDraft {
  return content.kind === "move" ? { kind: "move", form: content.form } : { kind: content.kind, form: content.form };
}

/** The database's kind as the content names it. */
export function kindOf(kind: "MOVE" | "RESIDENCE_CERTIFICATE"): TApplicationContent["kind"] {
  return kind === "MOVE" ? "move" : "residence-certificate";
}

/**
 * The form's people are current members of the applicant's household (the applicant may name
 * themself), and a move's district exists. Run again at submission and at approval, since the
 * registry may have changed in between.
 */
export async function checkDraftAgainstRegistry(db: TDb, residentId: string, draft: TApplicationDraft): Promise<void> {
  const self = await db.resident.findUnique({
    where: { id: residentId },
    select: { householdId: true, address: true, district: { select: { name: true } } },
  });
  if (!self) throw new AppError("NOT_FOUND");
  const members = await db.resident.findMany({
    where: { householdId: self.householdId, leftAt: null },
    select: { registryNumber: true },
  });
  const household = new Set(members.map((m) => m.registryNumber));
  const named = draft.kind === "move" ? draft.form.movers : [draft.form.subject];
  if (new Set(named).size !== named.length) {
    throw new AppError("VALIDATION_FAILED", { message: "A person is named twice." });
  }
  const outside = named.filter((n) => !household.has(n));
  if (outside.length > 0) throw new AppError("APPLICATION_HOUSEHOLD_MISMATCH", { details: { count: outside.length } });
  if (draft.kind === "move") {
    const district = await db.district.findUnique({ where: { code: draft.form.districtCode }, select: { name: true } });
    if (!district) throw new AppError("APPLICATION_DISTRICT_UNKNOWN");
    // Within the town: the new address starts as the current one does before its district
    // (徳島県一枚町…) and names the new district.
    const current = self.address.normalize("NFKC");
    const at = current.indexOf(self.district.name.normalize("NFKC"));
    const town = at > 0 ? current.slice(0, at) : "";
    const next = draft.form.newAddress.normalize("NFKC");
    if (!next.startsWith(town) || !next.slice(town.length).startsWith(district.name.normalize("NFKC"))) {
      throw new AppError("VALIDATION_FAILED", {
        message: "The new address is not in the town, or not in the district given.",
        details: { field: "newAddress" },
      });
    }
  }
}
