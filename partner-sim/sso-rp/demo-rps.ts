/**
 * The two demo relying parties: 一枚町立図書館 (the town library; asks for the name) and
 * 一枚町 学校 (the schools' system; asks only whether the resident is 18 or older, never the
 * date of birth). Their client registrations are seeded by prisma/seed/demo-oidc.ts.
 */
import type { TDemoRpOptions } from "./rp";

export type TDemoRpKey = "library" | "school";

export const DEMO_RPS: Record<
  TDemoRpKey,
  Omit<TDemoRpOptions, "issuer" | "clientSecret" | "port"> & {
    nameEn: string;
    sectorIdentifier: string;
  }
> = {
  library: {
    key: "library",
    title: "一枚町立図書館",
    titleEn: "Ichimai Town Library",
    nameEn: "Ichimai Town Library",
    clientId: "ichimai-library",
    claims: ["name"],
    sectorIdentifier: "library.ichimai-town.example",
  },
  school: {
    key: "school",
    title: "一枚町 学校",
    titleEn: "Ichimai Town Schools",
    nameEn: "Ichimai Town Schools",
    clientId: "ichimai-school",
    claims: ["age_over_18"],
    sectorIdentifier: "school.ichimai-town.example",
  },
};

/** The demo RPs' ports: beside the portal's (3000 → 3101, 3102), shifted like the e2e ports. */
export function demoRpPort(key: TDemoRpKey, portalPort: number): number {
  return portalPort + (key === "library" ? 101 : 102);
}
