/**
 * Demo shelters (lib/disaster/shelters) for `npm run dev`: six shelters in the demo town, one per
 * district, inside its outline (prisma/seed/geo/demo-town.geojson) — four designated shelters and
 * a welfare shelter run by the town office (ichimai-town), and the town hospital (ichimai-hospital)
 * — most of them open, and one enrolled shelter kiosk at 港小学校 (SH-01; the dev banner prints
 * its enrolment URL). A shelter kiosk is a partner terminal, so the town office is approved for
 * eligibility:verify (the terminal scope) here, as the emergency seeder does for the hospital.
 * Idempotent: shelters by code (an existing shelter keeps its open/closed state), the kiosk
 * through seedDemoTerminal.
 */
import { TERMINAL_SCOPE } from "../../lib/platform/terminals/register-terminal-device";
import type { TDemoServiceContext, TDemoServiceSeed } from "./demo-services";
import { seedDemoTerminal } from "./demo-terminals";

export const DEMO_SHELTER_KIOSK = { partnerSlug: "ichimai-town", label: "SH-01" } as const;

type TDemoShelter = {
  code: string;
  name: string;
  nameEn: string;
  kind: "DESIGNATED" | "WELFARE" | "HOSPITAL";
  districtCode: string;
  address: string;
  latitude: number;
  longitude: number;
  capacity: number;
  features: string[];
  languages: string[];
  hazards: ("FLOOD" | "LANDSLIDE" | "TSUNAMI" | "STORM_SURGE" | "EARTHQUAKE" | "FIRE")[];
  partnerSlug: "ichimai-town" | "ichimai-hospital";
  open: boolean;
};

export const DEMO_SHELTERS: readonly TDemoShelter[] = [
  {
    code: "SH-01",
    name: "一枚町立港小学校 体育館",
    nameEn: "Minato Elementary School Gym",
    kind: "DESIGNATED",
    districtCode: "36999-01",
    address: "徳島県一枚町港町一丁目２番１号",
    latitude: 33.9295,
    longitude: 134.652,
    capacity: 200,
    features: ["wheelchair"],
    languages: ["ja", "en"],
    hazards: ["FLOOD", "LANDSLIDE", "EARTHQUAKE", "FIRE"],
    partnerSlug: "ichimai-town",
    open: true,
  },
  {
    code: "SH-02",
    name: "浜崎公民館",
    nameEn: "Hamasaki Community Hall",
    kind: "DESIGNATED",
    districtCode: "36999-02",
    address: "徳島県一枚町浜崎二丁目５番３号",
    latitude: 33.9105,
    longitude: 134.6318,
    capacity: 80,
    features: [],
    languages: ["ja"],
    hazards: ["LANDSLIDE", "EARTHQUAKE", "FIRE"],
    partnerSlug: "ichimai-town",
    open: true,
  },
  {
    code: "SH-03",
    name: "一枚町立中学校",
    nameEn: "Ichimai Junior High School",
    kind: "DESIGNATED",
    districtCode: "36999-03",
    address: "徳島県一枚町中央三丁目１番１号",
    latitude: 33.931,
    longitude: 134.6312,
    capacity: 300,
    features: ["wheelchair", "interpreter"],
    languages: ["ja", "en", "vi"],
    hazards: [],
    partnerSlug: "ichimai-town",
    open: true,
  },
  {
    code: "SH-04",
    name: "一枚町福祉センター（福祉避難所）",
    nameEn: "Ichimai Welfare Centre (welfare shelter)",
    kind: "WELFARE",
    districtCode: "36999-04",
    address: "徳島県一枚町山手一丁目８番２号",
    latitude: 33.91,
    longitude: 134.6118,
    capacity: 40,
    features: ["wheelchair", "care", "medical_device", "visual", "hearing"],
    languages: ["ja"],
    hazards: [],
    partnerSlug: "ichimai-town",
    open: true,
  },
  {
    code: "SH-05",
    name: "一枚町立病院",
    nameEn: "Ichimai Town Hospital",
    kind: "HOSPITAL",
    districtCode: "36999-05",
    address: "徳島県一枚町岬四丁目１番１号",
    latitude: 33.9112,
    longitude: 134.651,
    capacity: 20,
    features: ["wheelchair", "care", "medical_device"],
    languages: ["ja", "en"],
    hazards: ["FLOOD", "LANDSLIDE", "EARTHQUAKE", "FIRE"],
    partnerSlug: "ichimai-hospital",
    open: true,
  },
  {
    code: "SH-06",
    name: "川西集会所",
    nameEn: "Kawanishi Meeting Hall",
    kind: "DESIGNATED",
    districtCode: "36999-06",
    address: "徳島県一枚町川西二丁目３番４号",
    latitude: 33.9305,
    longitude: 134.6115,
    capacity: 60,
    features: [],
    languages: ["ja"],
    hazards: ["FLOOD", "TSUNAMI", "STORM_SURGE", "EARTHQUAKE"],
    partnerSlug: "ichimai-town",
    open: false,
  },
];

export async function seedDemoShelters(ctx: TDemoServiceContext): Promise<TDemoServiceSeed> {
  const { prisma } = ctx;
  const town = await prisma.partner.findUniqueOrThrow({ where: { slug: DEMO_SHELTER_KIOSK.partnerSlug } });
  if (!town.approvedScopes.includes(TERMINAL_SCOPE)) {
    await prisma.partner.update({
      where: { id: town.id },
      data: { approvedScopes: [...town.approvedScopes, TERMINAL_SCOPE] },
    });
  }
  const partners = new Map(
    (
      await prisma.partner.findMany({
        where: { slug: { in: [...new Set(DEMO_SHELTERS.map((s) => s.partnerSlug))] } },
        select: { id: true, slug: true },
      })
    ).map((p) => [p.slug, p.id]),
  );
  const districts = new Map(
    (await prisma.district.findMany({ select: { id: true, code: true } })).map((d) => [d.code, d.id]),
  );
  const now = new Date();
  for (const { districtCode, partnerSlug, open, ...s } of DEMO_SHELTERS) {
    const districtId = districts.get(districtCode);
    const partnerId = partners.get(partnerSlug);
    if (!districtId || !partnerId) continue;
    const exists = await prisma.shelter.findUnique({ where: { code: s.code }, select: { id: true } });
    if (exists) continue;
    await prisma.shelter.create({
      data: { ...s, districtId, partnerId, open, openedAt: open ? now : null },
    });
  }
  const terminal = await seedDemoTerminal(prisma, { ...DEMO_SHELTER_KIOSK, mode: "SHELTER" });
  const lines = [
    `    shelters  ${DEMO_SHELTERS.length} (${DEMO_SHELTERS.filter((s) => s.open).length} open); kiosk ${DEMO_SHELTER_KIOSK.label} at ${DEMO_SHELTERS[0]!.name}; dashboard /admin/disaster/shelters`,
  ];
  return { terminals: [terminal], lines };
}
