/**
 * The counter's card issuing (交付) as J-LIS's counter system does it for a card handed over at
 * the municipal window: new key pairs and certificates on a new card (auth, and signing with the
 * four facts the municipality's registry holds; none under 15), the previous card's certificates
 * revoked. A card J-LIS knows with the same facts is renewed (the old certificates revoked
 * `superseded`, both linked old → new, 証明書新旧紐付け); with other facts (the registry changed and
 * J-LIS was not told) the old active certificates are revoked `cessationOfOperation` and the card
 * is issued afresh.
 *
 * The initial PINs are the resident's, not staff's: the counter's printer gives the resident a
 * one-time slip with random initial PINs (a file `<slipsDir>/<residentRef>.json`, never sent to
 * the portal), which the resident keeps as the card's PINs. In the simulation the new card is a
 * virtual card file in the cards directory (the old card's file is collected: removed, and the new
 * one takes its name, so the agent shows it in the same place).
 * Development and tests only.
 */
import { randomInt } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import { VirtualCard, writeVirtualCard } from "../../card-agent/tokens/virtual-card";
import { AppError } from "@/lib/errors/app-error";
import { writeFileAtomic } from "../../card-agent/json-file";
import type { FourFacts } from "../ca/ca";
import { DEMO_MUNICIPALITY } from "../demo-cards";
import type { IssuedToken, SimulatedJlis } from "../jlis";
import { findMunicipality } from "../municipalities";

export type TCounterIssueResult = {
  authSerial: string;
  signSerial: string | null;
  revoked: { serial: string; purpose: string; reason: string }[];
  /** The slip's file name in the slips directory (the PINs are only in the slip). */
  slip: string;
};

const LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ";
const DIGITS = "0123456789";

/** Random initial PINs in the card's formats (auth 4 digits; sign 8 of A–Z0–9 with both kinds). */
export function initialPins(): { auth: string; sign: string } {
  const pick = (set: string) => set[randomInt(0, set.length)]!;
  const auth = Array.from({ length: 4 }, () => pick(DIGITS)).join("");
  const chars = [pick(LETTERS), pick(DIGITS), ...Array.from({ length: 6 }, () => pick(LETTERS + DIGITS))];
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(0, i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return { auth, sign: chars.join("") };
}

/** The card files in `cardsDir` held by `residentRef` (token type card). */
async function holderCardFiles(cardsDir: string, residentRef: string): Promise<string[]> {
  const names = await fs.readdir(cardsDir).catch(() => [] as string[]);
  const out: string[] = [];
  for (const name of names.filter((n) => n.endsWith(".json")).sort()) {
    const file = path.join(cardsDir, name);
    const card = await VirtualCard.open(file).catch(() => undefined);
    if (card && card.holderRef === residentRef && card.tokenType === "card") out.push(file);
  }
  return out;
}

export async function issueCardAtCounter(o: {
  jlis: SimulatedJlis;
  cardsDir: string;
  slipsDir: string;
  residentRef: string;
  facts: FourFacts;
  municipalityCode: string;
  displayName: string;
}): Promise<TCounterIssueResult> {
  const known = o.jlis.resident(o.residentRef);
  if (known?.deceasedAt) throw new AppError("JLIS_CERT_NOT_ACTIVE", { message: "The resident is deceased." });
  const sameFacts =
    known !== undefined && (Object.keys(o.facts) as (keyof FourFacts)[]).every((k) => known.facts[k] === o.facts[k]);
  let token: IssuedToken;
  const revoked: TCounterIssueResult["revoked"] = [];
  if (known?.tokens.card?.auth && sameFacts) {
    token = await o.jlis.renew({ residentRef: o.residentRef });
    revoked.push(...token.revoked.map((r) => ({ serial: r.serial, purpose: r.purpose, reason: r.reason })));
  } else {
    for (const serial of [known?.tokens.card?.sign, known?.tokens.card?.auth]) {
      if (serial && o.jlis.certificate(serial)?.revokedAt === undefined) {
        const r = await o.jlis.revoke({ serialHex: serial, reason: "cessationOfOperation" });
        revoked.push(...r.revoked.map((x) => ({ serial: x.serial, purpose: x.purpose, reason: x.reason })));
      }
    }
    const municipality =
      known?.municipality ??
      findMunicipality(o.municipalityCode) ??
      (o.municipalityCode === DEMO_MUNICIPALITY.code ? DEMO_MUNICIPALITY : undefined);
    if (!municipality) throw new AppError("COUNTER_MUNICIPALITY_UNKNOWN", { details: { code: o.municipalityCode } });
    token = await o.jlis.issueCard({ residentRef: o.residentRef, facts: o.facts, municipality });
  }

  const pins = initialPins();
  const old = await holderCardFiles(o.cardsDir, o.residentRef);
  const file = old[0] ?? path.join(o.cardsDir, `${o.residentRef}.json`);
  await writeVirtualCard(file, {
    label: token.label,
    tokenType: "card",
    holderRef: o.residentRef,
    displayName: o.displayName,
    auth: { ...token.auth, pin: pins.auth },
    sign: token.sign ? { ...token.sign, pin: pins.sign } : undefined,
  });
  for (const f of old.slice(1)) await fs.rm(f, { force: true });
  const slip = `${o.residentRef}.json`;
  await fs.mkdir(o.slipsDir, { recursive: true });
  await writeFileAtomic(
    path.join(o.slipsDir, slip),
    `${JSON.stringify(
      {
        residentRef: o.residentRef,
        card: path.basename(file),
        authPin: pins.auth,
        ...(token.sign ? { signPin: pins.sign } : {}),
        issuedAt: new Date().toISOString(),
      },
      null,
      2,
    )}\n`,
  );
  return { authSerial: token.auth.serial, signSerial: token.sign?.serial ?? null, revoked, slip };
}
