import type { PrismaClient } from "@/lib/db/client";
export { hasExifGps, jpegWithGps } from "./exif";
import { seedDistrict, seedResident, seedStaffMember } from "@/prisma/seed/factories";

/** A square district around (33.91, 134.61) and one straight east–west road through it. */
export const IN_TOWN = { latitude: 33.91, longitude: 134.61 };
/** On the road (the segment runs along latitude 33.905). */
export const ON_ROAD = { latitude: 33.905, longitude: 134.61 };
export const OUTSIDE = { latitude: 35.68, longitude: 139.76 };

/** The district, a road segment, a triage clerk and a resident of a report test. */
export async function createReportsWorld(prisma: PrismaClient, tag: string) {
  const district = await seedDistrict(prisma, {
    code: `RPT-${tag}`,
    geometry: {
      type: "Polygon",
      coordinates: [
        [
          [134.6, 33.9],
          [134.62, 33.9],
          [134.62, 33.92],
          [134.6, 33.92],
          [134.6, 33.9],
        ],
      ],
    },
  });
  const segment = await prisma.roadSegment.create({
    data: {
      code: `SEG-${tag}`,
      name: "試験道路",
      nameEn: "Test road",
      speedLimitKmh: 40,
      geometry: {
        type: "LineString",
        coordinates: [
          [134.601, 33.905],
          [134.619, 33.905],
        ],
      },
    },
  });
  const clerkResident = await seedResident(prisma, { districtId: district.id });
  const clerk = await seedStaffMember(prisma, { residentId: clerkResident.id, roles: ["CLERK"] });
  const resident = await seedResident(prisma, { districtId: district.id });
  return {
    district,
    segment,
    clerk: { staffId: clerk.id, roles: clerk.roles as string[] },
    resident,
  };
}
