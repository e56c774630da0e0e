import type { Gender } from "../../../generated/prisma/client";
import type { TFourFactsDto } from "./schemas";

/**
 * A resident's four facts as the registry holds them, in the form a signing certificate carries
 * them (name with an ideographic space, ISO date of birth): what the card's signature will say,
 * shown before the signing PIN, and what staff compare the certificate's facts with.
 */
export function registryFactsOf(r: {
  familyName: string;
  givenName: string;
  address: string;
  dateOfBirth: Date;
  gender: Gender;
}): TFourFactsDto {
  return {
    name: `${r.familyName}\u3000${r.givenName}`,
    address: r.address,
    dateOfBirth: r.dateOfBirth.toISOString().slice(0, 10),
    gender: ({ MALE: "male", FEMALE: "female", UNKNOWN: "unknown" } as const)[r.gender],
  };
}
