/**
 * Virtual My Number Cards for demo residents: the simulated J-LIS issues the certificates, the
 * card is written as a soft-token file the card agent loads, and (for residents who "logged in
 * before") the user-authentication certificate is bound to the registry record.
 * Shared by `npm run dev` and the end-to-end set-up.
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { writeVirtualCard } from "../../card-agent/tokens/virtual-card";
import type { PrismaClient } from "../../lib/db/client";
import { AppError } from "../../lib/errors/app-error";
import { parseCertificate } from "../../lib/jpki/certificate";
import type { IssuedToken, SimulatedJlis } from "../../lib/jpki/sim/jlis";

/** The demo town's municipality as J-LIS knows it (JPKI.md §1.3 subject L= values). */
export const DEMO_MUNICIPALITY = {
  code: "36999",
  prefectureRomaji: "Tokushima-ken",
  municipalityRomaji: "Ichimai-cho",
};

/** Demo PINs: 4 digits (auth); 6–16 of A–Z0–9 with a letter and a digit (sign). Demo only. */
export const DEMO_PINS = { auth: "1234", sign: "ICHIMAI1" } as const;

export type TCardHolder = {
  id: string;
  registryNumber: string;
  /** The four facts in the form J-LIS puts on the signing certificate. */
  facts: { name: string; address: string; dateOfBirth: string; gender: "MALE" | "FEMALE" | "UNKNOWN" };
};

export type TIssueDemoCardOptions = {
  prisma: PrismaClient;
  jlis: SimulatedJlis;
  cardsDir: string;
  fileName: string;
  holder: TCardHolder;
  displayName: string;
  pins?: { auth: string; sign: string };
  /** Bind the user-authentication certificate now (otherwise the first login asks for consent). */
  bind: boolean;
};

/**
 * Issue a card for one resident and write it to `<cardsDir>/<fileName>`. If J-LIS already has an
 * active card for the resident (its file was deleted), the card is renewed instead.
 */
export async function issueDemoCard(o: TIssueDemoCardOptions): Promise<IssuedToken> {
  const pins = o.pins ?? DEMO_PINS;
  const facts = {
    name: o.holder.facts.name,
    address: o.holder.facts.address,
    dateOfBirth: o.holder.facts.dateOfBirth,
    gender: o.holder.facts.gender.toLowerCase() as "male" | "female" | "unknown",
  };
  let card: IssuedToken;
  try {
    card = await o.jlis.issueCard({ residentRef: o.holder.registryNumber, facts, municipality: DEMO_MUNICIPALITY });
  } catch (e) {
    if (!(e instanceof AppError && e.code === "JLIS_CERT_NOT_ACTIVE")) throw e;
    card = await o.jlis.renew({ residentRef: o.holder.registryNumber });
  }
  await mkdir(o.cardsDir, { recursive: true });
  await writeVirtualCard(path.join(o.cardsDir, o.fileName), {
    label: card.label,
    tokenType: "card",
    holderRef: o.holder.registryNumber,
    displayName: o.displayName,
    auth: { ...card.auth, pin: pins.auth },
    sign: card.sign ? { ...card.sign, pin: pins.sign } : undefined,
  });
  if (o.bind) await recordAuthBinding(o.prisma, o.holder.id, card.auth.certificate);
  return card;
}

/** Store (idempotently) that this user-authentication certificate belongs to the resident. */
export async function recordAuthBinding(prisma: PrismaClient, residentId: string, certificate: Uint8Array) {
  const cert = parseCertificate(certificate);
  return prisma.certificateBinding.upsert({
    where: { fingerprint: cert.fingerprint },
    update: {},
    create: {
      residentId,
      kind: "AUTH",
      issuerDn: cert.issuer.text,
      serialNumber: cert.serialHex,
      fingerprint: cert.fingerprint,
      notBefore: cert.notBefore,
      notAfter: cert.notAfter,
    },
  });
}

export type TDemoCardPick = TCardHolder & { age: number; language: string; role: string; bind: boolean };

/**
 * Which demo residents get a card: a working-age adult, an elderly resident, a staff clerk, a
 * non-Japanese speaker, a child (user-authentication certificate only, JPKI.md §1.3), all bound;
 * and one adult who has never logged in (the first-login consent flow).
 */
export function pickDemoCardHolders(
  residents: (TCardHolder & { age: number; language: string })[],
  staffResidentIds: string[],
): TDemoCardPick[] {
  const taken = new Set<string>();
  const pick = (role: string, bind: boolean, ok: (r: (typeof residents)[number]) => boolean): TDemoCardPick[] => {
    const r = residents.find((x) => !taken.has(x.id) && ok(x));
    if (!r) return [];
    taken.add(r.id);
    return [{ ...r, role, bind }];
  };
  const staff = new Set(staffResidentIds);
  return [
    ...pick("adult", true, (r) => r.age >= 30 && r.age < 60 && r.language === "ja" && !staff.has(r.id)),
    ...pick("elderly", true, (r) => r.age >= 75),
    ...pick("staff", true, (r) => staff.has(r.id)),
    ...pick("foreign", true, (r) => r.language !== "ja" && r.age >= 18),
    ...pick("child", true, (r) => r.age >= 6 && r.age < 15),
    ...pick("first-login", false, (r) => r.age >= 20 && r.age < 70 && r.language === "ja" && !staff.has(r.id)),
  ];
}

export function demoCardFileName(pick: { role: string; registryNumber: string }): string {
  return `demo-${pick.role}-${pick.registryNumber}.json`;
}

export function demoCardExists(cardsDir: string, pick: { role: string; registryNumber: string }): boolean {
  return existsSync(path.join(cardsDir, demoCardFileName(pick)));
}
