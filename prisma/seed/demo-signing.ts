/**
 * Demo partner signing request for `npm run dev`: the bank (awa-mirai-bank) asks the "adult" card
 * holder to sign its account-opening application, so a newcomer finds it under
 * /services/signing-requests. The adult is linked to the bank first if they are not (any active
 * link addresses a signing request). Idempotent: a link is left as it is, and a request is made
 * only while the bank has none pending for that resident.
 */
import { ensureDemoLink } from "./demo-links";
import { createSigningRequest } from "../../lib/services/signing-requests/partner-signing-requests";
import type { TDemoServiceSeed, TDemoServiceSeeder } from "./demo-services";

export const DEMO_SIGNING_BANK = "awa-mirai-bank";
export const DEMO_SIGNING_TITLE = "普通預金口座開設申込書";

/** The bank's application text (plain, with line breaks), as the resident reads and signs it. */
export function demoSigningText(name: string): string {
  return [
    "阿波みらい銀行 御中",
    "",
    "私は、貴行の普通預金規定および個人情報の取扱いに同意のうえ、次のとおり普通預金口座の開設を申し込みます。",
    "",
    `申込者：${name}`,
    "口座の種類：普通預金（総合口座）",
    "取引の目的：生計費決済、給与受取",
    "",
    "私は反社会的勢力に該当しないことを表明し、確約します。",
    "本人確認のため、この申込書への電子署名（署名用電子証明書）を貴行が検証することに同意します。",
  ].join("\n");
}

/** The adult's reference at the bank (stable across restarts). */
export function demoBankRef(registryNumber: string): string {
  return `BANK-${registryNumber}`;
}

export const seedDemoSigning: TDemoServiceSeeder = async ({ prisma, cardHolders }) => {
  const out: TDemoServiceSeed = { terminals: [], lines: [] };
  const adult = cardHolders.find((c) => c.role === "adult" && c.bind);
  const bank = await prisma.partner.findUnique({
    where: { slug: DEMO_SIGNING_BANK },
    select: { id: true, approvedScopes: true },
  });
  if (!adult || !bank) return out;
  // Fresh databases get signing:request from DEMO_PARTNERS; older demo databases get it here.
  if (!bank.approvedScopes.includes("signing:request")) {
    await prisma.partner.update({
      where: { id: bank.id },
      data: { approvedScopes: [...bank.approvedScopes, "signing:request"] },
    });
  }
  const link = await ensureDemoLink(prisma, {
    residentId: adult.id,
    partnerId: bank.id,
    fresh: demoBankRef(adult.registryNumber),
    purposes: ["deliver"],
  });
  // An ended link is the resident's choice: no request then.
  if (!link.active) return out;
  const pending = await prisma.signingRequest.count({
    where: { partnerId: bank.id, residentId: adult.id, status: "PENDING", expiresAt: { gt: new Date() } },
  });
  if (pending === 0) {
    await createSigningRequest(prisma, {
      partner: { partnerId: bank.id, mode: "LIVE" },
      request: { title: DEMO_SIGNING_TITLE, text: demoSigningText(adult.name), partnerRef: link.partnerRef },
    });
    out.lines.push(
      `Signing requests: ${DEMO_SIGNING_BANK} asks ${adult.name} to sign an application — see /services/signing-requests.`,
    );
  }
  return out;
};
