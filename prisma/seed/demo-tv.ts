/**
 * The TV and set-top boxes for `npm run dev`: the cable-TV operator ichimai-catv (ケーブルテレビ,
 * PartnerKind CATV_OPERATOR) and one enrolled box in the households of the elderly and the adult
 * card holders and of one more household of the town. The elderly card holder has opted in to the
 * at-home estimate, the adult has not (his household's box keeps nothing), and the third household's
 * head has opted in; the opted-in boxes get a day of activity. Device tokens are derived from the
 * label (public: demo data only), so the banner's curl lines stay valid across restarts.
 * Idempotent: a restart re-enrols the same boxes, keeps opt-ins and tops up the history.
 */
import { createHash } from "node:crypto";
import {
  enrolSetTopBox,
  optInSetTopBox,
  recordSetTopBoxHeartbeat,
  type TSetTopBoxActivity,
} from "../../lib/disaster/set-top-box";
import type { TDemoServiceContext, TDemoServiceSeed } from "./demo-services";
import { seedPartner } from "./factories";

export const DEMO_CATV_SLUG = "ichimai-catv";

/** The fixed device token of a demo box (43 base64url characters). */
export function demoSetTopBoxToken(label: string): string {
  return createHash("sha256").update(`ichimai-demo-set-top-box\0${label}`).digest("base64url");
}

const HOUR = 3_600_000;

export async function seedDemoTv(ctx: TDemoServiceContext): Promise<TDemoServiceSeed> {
  const { prisma } = ctx;
  const catv = await seedPartner(prisma, {
    slug: DEMO_CATV_SLUG,
    name: "一枚ケーブルテレビ株式会社",
    nameEn: "Ichimai Cable TV Co., Ltd.",
    kind: "CATV_OPERATOR",
    approvedScopes: [],
    contactEmail: `api@${DEMO_CATV_SLUG}.example.jp`,
  });
  const byRole = (role: string) => ctx.cardHolders.find((c) => c.role === role);
  const elderly = byRole("elderly");
  const adult = byRole("adult");
  const holders = new Set(ctx.cardHolders.map((c) => c.id));
  // One more household with someone over 65 who holds no demo card: "probably at home" from the box alone.
  const other = await prisma.resident.findFirst({
    where: {
      leftAt: null,
      id: { notIn: [...holders] },
      dateOfBirth: { lt: new Date(Date.now() - 65 * 365.25 * 24 * HOUR) },
    },
    orderBy: { registryNumber: "asc" },
    select: { id: true, familyName: true, givenName: true },
  });
  const plan: { residentId: string; name: string; optIn: boolean }[] = [];
  if (elderly) plan.push({ residentId: elderly.id, name: elderly.name.replace("\u3000", " "), optIn: true });
  if (adult) plan.push({ residentId: adult.id, name: adult.name.replace("\u3000", " "), optIn: false });
  if (other) plan.push({ residentId: other.id, name: `${other.familyName} ${other.givenName}`, optIn: true });

  const lines: string[] = [];
  const seen = new Set<string>();
  for (const p of plan) {
    const { householdId } = await prisma.resident.findUniqueOrThrow({
      where: { id: p.residentId },
      select: { householdId: true },
    });
    if (seen.has(householdId)) continue;
    seen.add(householdId);
    const label = `stb-${householdId.slice(0, 8)}`;
    const box = await enrolSetTopBox(
      { prisma },
      { partner: catv.slug, label, householdId, token: demoSetTopBoxToken(label) },
    );
    if (p.optIn) {
      await optInSetTopBox({ prisma }, { residentId: p.residentId, boxId: box.boxId });
      // A day of viewing, one report every two hours, then a fresh power-on (through the real path,
      // so the opt-in filter applies; the clock is set back for the history).
      const now = Date.now();
      const already = await prisma.setTopBoxHeartbeat.count({
        where: { boxId: box.boxId, at: { gt: new Date(now - 24 * HOUR) } },
      });
      if (already === 0) {
        for (let h = 24; h >= 2; h -= 2) {
          const activity: TSetTopBoxActivity = h % 12 === 0 ? "POWER_ON" : h === 22 ? "POWER_OFF" : "REMOTE";
          await recordSetTopBoxHeartbeat(
            { prisma, now: () => new Date(now - h * HOUR) },
            { token: box.token, activity },
          );
        }
      }
      await recordSetTopBoxHeartbeat({ prisma }, { token: box.token, activity: "POWER_ON" });
    }
    lines.push(
      `    set-top box ${label} (${p.name}, ${p.optIn ? "opted in" : "not opted in"}): ` +
        `curl -X POST -H 'Authorization: Bearer ${box.token}' -H 'Content-Type: application/json' ` +
        `-d '{"activity":"REMOTE"}' <origin>/api/terminal/heartbeat`,
    );
  }
  lines.push("    TV: open <origin>/tv (card login with the remote keys; PIN on <agent>/ui?ui=tv)");
  return { terminals: [], lines };
}
