/**
 * Test world of the community bus: the operator with its products, a linked resident, an
 * enrolled on-board device. Real database, real rows; nothing mocked.
 */
import type { PrismaClient } from "@/lib/db/client";
import { linkPartner } from "@/lib/mailbox/link-partner";
import { registerTerminalDevice } from "@/lib/platform/terminals/register-terminal-device";
import { defineBusProducts } from "@/lib/services/bus/products";
import { seedPartner, seedResident } from "@/prisma/seed/factories";

export const BUS_PRODUCTS = [
  {
    code: "BOOK-5",
    kind: "TICKET_BOOK",
    nameJa: "回数券5回",
    nameEn: "5-ride book",
    rides: 5,
    priceYen: 1000,
    fareYen: 200,
  },
  {
    code: "BOOK-11",
    kind: "TICKET_BOOK",
    nameJa: "回数券11回",
    nameEn: "11-ride book",
    rides: 11,
    priceYen: 2000,
    fareYen: 200,
  },
  {
    code: "MONTH",
    kind: "PASS",
    nameJa: "月間パス",
    nameEn: "Monthly pass",
    validDays: 30,
    priceYen: 4000,
    fareYen: 200,
  },
  {
    code: "KEIRO",
    kind: "PASS",
    nameJa: "敬老パス",
    nameEn: "Senior pass",
    validDays: 365,
    priceYen: 0,
    fareYen: 200,
    eligibility: "AGE_70_PLUS",
  },
  {
    code: "SHOGAI-11",
    kind: "TICKET_BOOK",
    nameJa: "障害者割引回数券",
    nameEn: "Disability discount book",
    rides: 11,
    priceYen: 1000,
    fareYen: 200,
    eligibility: "DISABILITY",
  },
] as const;

export type TBusWorld = {
  operator: { id: string; slug: string; name: string };
  town: { id: string; slug: string; name: string };
  deviceId: string;
  linkedResident: (o?: {
    dateOfBirth?: Date;
    ref?: string;
  }) => Promise<{ id: string; registryNumber: string; ref: string }>;
};

let n = 0;

export async function createBusWorld(prisma: PrismaClient, slug = "test-bus"): Promise<TBusWorld> {
  const operator = await seedPartner(prisma, {
    slug,
    name: `テストバス ${slug}`,
    nameEn: "Test Bus",
    kind: "BUS_OPERATOR",
    approvedScopes: ["eligibility:verify", "documents:deliver"],
  });
  const town = await seedPartner(prisma, { slug: `${slug}-town`, name: "一枚町", kind: "GOVERNMENT" });
  await defineBusProducts(prisma, { partnerId: operator.id, products: [...BUS_PRODUCTS] });
  const { deviceId } = await registerTerminalDevice(prisma, {
    partner: operator.id,
    label: `${slug}-car-1`,
    mode: "BUS",
  });
  return {
    operator,
    town,
    deviceId,
    linkedResident: async (o = {}) => {
      const r = await seedResident(prisma, o.dateOfBirth ? { dateOfBirth: o.dateOfBirth } : {});
      const ref = o.ref ?? `BUS-${slug}-${++n}`;
      await linkPartner(prisma, { residentId: r.id, partnerId: operator.id, partnerRef: ref });
      return { id: r.id, registryNumber: r.registryNumber, ref };
    },
  };
}
