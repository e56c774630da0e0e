/**
 * The counter's card terminal (窓口端末) for a locked PIN (暗証番号のロック解除): after the
 * municipality checked the holder's identity, J-LIS's counter system resets the try counter of the
 * auth or signing PIN on the card in front of it. The card is physically at the counter; in the
 * simulation it is the holder's virtual card file in the cards directory the simulator is
 * configured with (CARD_AGENT_CARDS_DIR), the file whose auth certificate is the one J-LIS knows
 * as the resident's current card. The PIN and the keys stay: only the counter is reset (a
 * forgotten PIN needs a new card or, for signing, a new signing certificate).
 * Development and tests only.
 */
import { X509Certificate } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import { resetPinTries, type TSlotName, VirtualCard } from "../../card-agent/tokens/virtual-card";
import { AppError } from "@/lib/errors/app-error";
import { canonicalSerial } from "@/lib/jpki/serial";
import type { SimulatedJlis } from "../jlis";

export type TPinUnlockResult = { slot: TSlotName; triesLeft: number };

/** The card file in `cardsDir` whose auth certificate is the resident's current card at J-LIS. */
export async function findCurrentCardFile(o: {
  jlis: SimulatedJlis;
  cardsDir: string;
  residentRef: string;
}): Promise<string> {
  const authSerial = o.jlis.resident(o.residentRef)?.tokens.card?.auth;
  if (!authSerial) throw new AppError("COUNTER_CARD_NOT_FOUND", { details: { residentRef: o.residentRef } });
  const wanted = canonicalSerial(authSerial);
  const names = await fs.readdir(o.cardsDir).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.endsWith(".json")).sort()) {
    const file = path.join(o.cardsDir, name);
    const card = await VirtualCard.open(file).catch(() => undefined);
    if (!card || card.holderRef !== o.residentRef || card.tokenType !== "card") continue;
    if (canonicalSerial(new X509Certificate(card.authCertificate()).serialNumber) === wanted) return file;
  }
  throw new AppError("COUNTER_CARD_NOT_FOUND", { details: { residentRef: o.residentRef } });
}

/**
 * Reset the locked PIN of `slot` on the resident's current card. COUNTER_CARD_NOT_FOUND when
 * J-LIS knows no card of the resident or its file is not at the counter; JLIS_CERT_NOT_ACTIVE
 * when the card's auth certificate is revoked (a lost or returned card is not unlocked);
 * COUNTER_PIN_NOT_LOCKED when the PIN has tries left (nothing is written).
 */
export async function unlockPinAtCounter(o: {
  jlis: SimulatedJlis;
  cardsDir: string;
  residentRef: string;
  slot: TSlotName;
}): Promise<TPinUnlockResult> {
  const file = await findCurrentCardFile(o);
  const authSerial = o.jlis.resident(o.residentRef)?.tokens.card?.auth;
  if (authSerial && o.jlis.certificate(authSerial)?.revokedAt !== undefined) {
    throw new AppError("JLIS_CERT_NOT_ACTIVE", { message: "The card's certificates are revoked." });
  }
  const card = await VirtualCard.open(file);
  if (!card.slots().includes(o.slot)) {
    throw new AppError("COUNTER_CARD_NOT_FOUND", { message: `The card has no ${o.slot} certificate.` });
  }
  if (card.triesLeft(o.slot) > 0) throw new AppError("COUNTER_PIN_NOT_LOCKED");
  const { after } = await resetPinTries(file, o.slot);
  return { slot: o.slot, triesLeft: after };
}
