/**
 * The partner sandbox: synthetic residents with virtual My Number Cards issued by the
 * simulated J-LIS, and a signer that uses those cards as a real card would — the signing key
 * for CMS applications (CAdES-BES, what identity verification expects) and the
 * user-authentication key for terminal challenges (a Web eID token, what eligibility
 * verification expects). Partners build against the platform without a card reader.
 * Development and sandbox only: the residents are fictitious and their PINs are published.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { VirtualCard } from "../../card-agent/tokens/virtual-card";
import type { PrismaClient } from "../../generated/prisma/client";
import { seedResident } from "../../prisma/seed/factories";
import { issueDemoCard } from "../../jlis-sim/demo-cards";
import { webEidSignedData } from "../../lib/auth/web-eid-token";
import { AppError } from "../../lib/errors/app-error";
import { signCms } from "../../lib/jpki/cms-sign";
import type { SimulatedJlis } from "../../jlis-sim/jlis";

/** Registry numbers of sandbox residents start with this: the mark that they are synthetic. */
export const SANDBOX_REGISTRY_PREFIX = "SANDBOX-";
/** Published sandbox PINs (user authentication: 4 digits; signing: 6–16 A–Z0–9). */
export const SANDBOX_PINS = { auth: "1234", sign: "SANDBOX1" } as const;

/** The synthetic people (fictitious names, the demo town's address). */
const PEOPLE = [
  { id: "sbx-1", family: "砂場", given: "一子", kana: ["スナバ", "イチコ"], gender: "FEMALE", born: "1985-04-01" },
  { id: "sbx-2", family: "砂場", given: "二郎", kana: ["スナバ", "ジロウ"], gender: "MALE", born: "1962-10-10" },
  { id: "sbx-3", family: "試験", given: "三太", kana: ["シケン", "サンタ"], gender: "MALE", born: "2001-12-24" },
] as const;

export type TSandboxResident = {
  /** The sandbox id partners pass to the tool (sbx-1, …). */
  id: string;
  residentId: string;
  registryNumber: string;
  name: string;
  sandbox: true;
  /** The virtual card file (ichimai-virtual-card/1), also served by the card agent's soft back-end. */
  cardFile: string;
  pins: typeof SANDBOX_PINS;
};

/**
 * Creates the sandbox residents and their virtual cards where missing (idempotent: an existing
 * resident or card file is kept). Cards are bound to the residents, as after a first card login.
 */
export async function ensureSandboxResidents(
  prisma: PrismaClient,
  options: { jlis: SimulatedJlis; cardsDir: string },
): Promise<TSandboxResident[]> {
  await fs.mkdir(options.cardsDir, { recursive: true });
  const out: TSandboxResident[] = [];
  for (const p of PEOPLE) {
    const resident = await seedResident(prisma, {
      registryNumber: `${SANDBOX_REGISTRY_PREFIX}${p.id}`,
      familyName: p.family,
      givenName: p.given,
      familyNameKana: p.kana[0],
      givenNameKana: p.kana[1],
      gender: p.gender,
      dateOfBirth: new Date(`${p.born}T00:00:00Z`),
      sandbox: true,
    });
    const { file } = await issueDemoCard({
      jlis: options.jlis,
      resident,
      cardsDir: options.cardsDir,
      fileName: `sandbox-${p.id}`,
      displayName: `SANDBOX ${p.family} ${p.given} (${p.id})`,
      authPin: SANDBOX_PINS.auth,
      signPin: SANDBOX_PINS.sign,
      bindWith: prisma,
      // JPKI-TEST cards: what TEST credentials verify, never a production card.
      hierarchy: "test",
    });
    out.push({
      id: p.id,
      residentId: resident.id,
      registryNumber: resident.registryNumber,
      name: `${resident.familyName} ${resident.givenName}`,
      sandbox: true,
      cardFile: path.resolve(file),
      pins: SANDBOX_PINS,
    });
  }
  return out;
}

/** The sandbox resident `id` (sbx-1 …) of a list, or NOT_FOUND. */
export function sandboxResidentOrThrow(residents: TSandboxResident[], id: string): TSandboxResident {
  const r = residents.find((x) => x.id === id || x.residentId === id);
  if (!r)
    throw new AppError("NOT_FOUND", {
      message: `No sandbox resident ${id} (try: ${residents.map((x) => x.id).join(", ")}).`,
    });
  return r;
}

async function unlock(cardFile: string, slot: "auth" | "sign", pin: string): Promise<VirtualCard> {
  const card = await VirtualCard.open(cardFile);
  const result = await card.verifyPin(slot, pin);
  if (!result.ok) throw new AppError(result.locked ? "PIN_LOCKED" : "PIN_INCORRECT", { details: result });
  return card;
}

/**
 * Signs an application with the card's signing key: CMS SignedData (CAdES-BES, RFC 5652 +
 * ETSI EN 319 122 signed attributes), attached by default or detached, as a resident's signing
 * software would. The result is what POST /api/v1/identity-verifications takes (base64).
 */
export async function sandboxSign(options: {
  cardFile: string;
  content: Uint8Array;
  detached?: boolean;
  pin?: string;
  now?: Date;
}): Promise<Uint8Array> {
  const card = await unlock(options.cardFile, "sign", options.pin ?? SANDBOX_PINS.sign);
  try {
    return await signCms({
      content: options.content,
      signerCertificate: card.signCertificate(),
      privateKey: card.unlockedKey("sign"),
      detached: options.detached ?? false,
      signingTime: options.now ?? new Date(),
      certificates: [card.caCertificate("sign")],
    });
  } finally {
    card.logout("sign");
  }
}

/**
 * Answers a terminal challenge as a card tap would: the user-authentication key signs
 * SHA-256(origin) ‖ SHA-256(nonce) (docs/jpki.md#card-login-web-eid) → the Web eID token for
 * POST /api/v1/eligibility/checks (`token`).
 */
export async function sandboxTap(options: {
  cardFile: string;
  nonce: string;
  origin: string;
  pin?: string;
}): Promise<string> {
  const card = await unlock(options.cardFile, "auth", options.pin ?? SANDBOX_PINS.auth);
  try {
    const signature = await card.sign("auth", webEidSignedData(options.origin, options.nonce), "SHA-256");
    return JSON.stringify({
      format: "web-eid:1.0",
      unverifiedCertificate: Buffer.from(card.authCertificate()).toString("base64"),
      algorithm: "RS256",
      signature: Buffer.from(signature).toString("base64"),
      appVersion: "ichimai-sandbox/1",
    });
  } finally {
    card.logout("auth");
  }
}
