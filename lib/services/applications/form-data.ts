import type { PrismaClient } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { getMyApplication } from "./list-my-applications";
import { registryFactsOf } from "./registry-facts";
import type { TApplicationSummaryDto, TFourFactsDto } from "./schemas";

/** What the application forms offer: the household's members, the town's districts, a returned application to correct. */
export type TApplicationFormData = {
  household: { registryNumber: string; name: string; self: boolean }[];
  districts: { code: string; name: string }[];
  /** The applicant's current address (the move form starts the new one with the town's part of it). */
  currentAddress: string;
  /** The applicant's four facts in the registry: what the signing certificate should say (shown before the PIN). */
  facts: TFourFactsDto;
  correcting: TApplicationSummaryDto | null;
};

/** The resident's own household (their own data) and the districts; NOT_FOUND / APPLICATION_NOT_RETURNED for `correct`. */
export async function getApplicationFormData(
  db: PrismaClient,
  o: { residentId: string; correct?: string },
): Promise<TApplicationFormData> {
  const self = await db.resident.findUnique({
    where: { id: o.residentId },
    select: { householdId: true, address: true, familyName: true, givenName: true, dateOfBirth: true, gender: true },
  });
  if (!self) throw new AppError("NOT_FOUND");
  const [members, districts] = await Promise.all([
    db.resident.findMany({
      where: { householdId: self.householdId, leftAt: null },
      select: { id: true, registryNumber: true, familyName: true, givenName: true },
      orderBy: [{ dateOfBirth: "asc" }, { id: "asc" }],
    }),
    db.district.findMany({ select: { code: true, name: true }, orderBy: { code: "asc" } }),
  ]);
  let correcting: TApplicationSummaryDto | null = null;
  if (o.correct) {
    correcting = await getMyApplication(db, { residentId: o.residentId, applicationId: o.correct });
    if (!correcting) throw new AppError("NOT_FOUND");
    if (correcting.status !== "returned") throw new AppError("APPLICATION_NOT_RETURNED");
  }
  return {
    household: members.map((m) => ({
      registryNumber: m.registryNumber,
      name: `${m.familyName} ${m.givenName}`,
      self: m.id === o.residentId,
    })),
    districts,
    currentAddress: self.address,
    facts: registryFactsOf(self),
    correcting,
  };
}
