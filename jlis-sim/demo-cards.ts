/**
 * Demo and test cards: the simulated J-LIS issues a My Number Card for a registry resident (the
 * signing certificate carries the resident's four facts exactly as the registry holds them, so
 * the first-login consent matches), and the card is written as a virtual card file the card
 * agent's soft back-end serves. Used by the e2e global set-up and meant for `npm run dev`.
 * Development and tests only: real cards come from J-LIS, not from here.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { replaceSignSlot, writeVirtualCard } from "../card-agent/tokens/virtual-card";
import type { PrismaClient, Resident } from "../generated/prisma/client";
import { parseCertificate } from "../lib/jpki/certificate";
import type { IssuedCredential, IssuedToken, SimulatedJlis } from "./jlis";
import type { TMunicipality } from "./store";
import { canonicalSerial } from "../lib/jpki/serial";

/** The demo town 一枚町 as the simulator needs it (JIS code, romaji for the signing cert's L=). */
export const DEMO_MUNICIPALITY: TMunicipality = {
  code: "36999",
  prefectureRomaji: "Tokushima-ken",
  municipalityRomaji: "Ichimai-cho",
};

/** The four facts of a registry record in the signing certificate's form (docs/jpki.md#the-four-basic-facts). */
export function fourFactsOfResident(
  r: Pick<Resident, "familyName" | "givenName" | "address" | "dateOfBirth" | "gender">,
) {
  return {
    name: `${r.familyName}\u3000${r.givenName}`,
    address: r.address,
    dateOfBirth: r.dateOfBirth.toISOString().slice(0, 10),
    gender: ({ MALE: "male", FEMALE: "female", UNKNOWN: "unknown" } as const)[r.gender],
  };
}

export type TIssueDemoCardOptions = {
  jlis: SimulatedJlis;
  resident: Resident;
  /** CARD_AGENT_CARDS_DIR: the file is `<cardsDir>/<fileName>.json`. */
  cardsDir: string;
  fileName?: string;
  /** Shown by the agent: "<displayName> — 利用者証明用 (auth)". Default "<姓> <名>". */
  displayName?: string;
  authPin: string;
  signPin: string;
  /**
   * Bind the auth certificate to the resident now (as if they had logged in before). Without
   * it the first login asks for the signing-certificate consent.
   */
  bindWith?: PrismaClient;
  municipality?: TMunicipality;
  /** `test` issues from the JPKI-TEST hierarchy (the partner sandbox); default production. */
  hierarchy?: "production" | "test";
};

/**
 * Issue (or, if J-LIS already knows a card of the resident, renew) and write the virtual card
 * file. Idempotent for `npm run dev`: when the file exists already nothing is issued
 * (`token` undefined), so restarts do not renew every card.
 */
export async function issueDemoCard(o: TIssueDemoCardOptions): Promise<{ token?: IssuedToken; file: string }> {
  const ref = o.resident.registryNumber;
  const file = path.join(o.cardsDir, `${o.fileName ?? ref}.json`);
  if (
    await fs.stat(file).then(
      () => true,
      () => false,
    )
  )
    return { file };
  const token = o.jlis.resident(ref)?.tokens.card?.auth
    ? await o.jlis.renew({ residentRef: ref })
    : await o.jlis.issueCard({
        residentRef: ref,
        facts: fourFactsOfResident(o.resident),
        municipality: o.municipality ?? DEMO_MUNICIPALITY,
        hierarchy: o.hierarchy,
      });
  await writeVirtualCard(file, {
    label: token.label,
    tokenType: "card",
    holderRef: ref,
    displayName: o.displayName ?? `${o.resident.familyName} ${o.resident.givenName}`,
    auth: { ...token.auth, pin: o.authPin },
    sign: token.sign ? { ...token.sign, pin: o.signPin } : undefined,
  });
  if (o.bindWith) {
    const cert = parseCertificate(token.auth.certificate);
    await o.bindWith.certificateBinding.upsert({
      where: { fingerprint: cert.fingerprint },
      update: {},
      create: {
        residentId: o.resident.id,
        kind: "AUTH",
        issuerDn: cert.issuer.text,
        serialNumber: canonicalSerial(cert.serialHex),
        fingerprint: cert.fingerprint,
        notBefore: cert.notBefore,
        notAfter: cert.notAfter,
      },
    });
  }
  return { token, file };
}

/**
 * A signing certificate J-LIS re-issued (a move, a new name: `changeFacts`) written onto the
 * holder's virtual cards in `cardsDir` (the card files whose holder is `residentRef`, token type
 * `card`), with `signPin`, as the counter does for a real card. Returns the files rewritten.
 */
export async function reissueSignOnVirtualCards(o: {
  cardsDir: string;
  residentRef: string;
  sign: IssuedCredential;
  signPin: string;
}): Promise<string[]> {
  const names = await fs.readdir(o.cardsDir).catch(() => [] as string[]);
  const rewritten: string[] = [];
  for (const name of names.filter((n) => n.endsWith(".json"))) {
    const file = path.join(o.cardsDir, name);
    const head = await fs.readFile(file, "utf8").then(
      (t) => JSON.parse(t) as { holderRef?: unknown; tokenType?: unknown },
      () => ({}) as { holderRef?: unknown; tokenType?: unknown },
    );
    if (head.holderRef !== o.residentRef || head.tokenType !== "card") continue;
    await replaceSignSlot(file, { ...o.sign, pin: o.signPin });
    rewritten.push(file);
  }
  return rewritten;
}
