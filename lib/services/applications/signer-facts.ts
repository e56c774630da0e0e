import { z } from "zod";
import { AppError, validationFailed } from "@/lib/errors/app-error";
import { parseJpkiCertificate } from "@/lib/jpki";
import type { TFourFactsDto } from "./schemas";

export const ZSignerFactsRequest = z.strictObject({
  /** base64 DER of the card's signing certificate, as the agent gave it. */
  signCertificate: z
    .string()
    .regex(/^[A-Za-z0-9+/]+={0,2}$/)
    .max(8_000),
});

/**
 * The four facts a signing certificate carries, for the page to show before the card signs
 * ("this is what your signature will say about you"). Nothing is trusted from it here: the
 * submission verifies the path, the status and whose certificate it is.
 * VALIDATION_FAILED, CERT_MALFORMED, CERT_WRONG_PURPOSE.
 */
export function signerFacts(request: unknown): TFourFactsDto {
  const parsed = ZSignerFactsRequest.safeParse(request);
  if (!parsed.success) throw validationFailed(parsed.error);
  const jpki = parseJpkiCertificate(new Uint8Array(Buffer.from(parsed.data.signCertificate, "base64")));
  if (jpki.kind !== "sign" || !jpki.facts) throw new AppError("CERT_WRONG_PURPOSE");
  return {
    name: jpki.facts.name,
    address: jpki.facts.address,
    dateOfBirth: jpki.facts.dateOfBirth ?? "",
    gender: jpki.facts.gender,
  };
}
