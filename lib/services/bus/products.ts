import { z } from "zod";
import type { PrismaClient } from "../../db/client";
import { AppError } from "../../errors/app-error";
import { assertSafeJson } from "../../http/safe-text";

export const ZBusProductDefinition = z
  .strictObject({
    code: z
      .string()
      .trim()
      .regex(/^[A-Z0-9][A-Z0-9_-]{0,39}$/),
    kind: z.enum(["TICKET_BOOK", "PASS"]),
    nameJa: z.string().trim().min(1).max(100),
    nameEn: z.string().trim().min(1).max(100),
    rides: z.number().int().min(1).max(1000).optional(),
    validDays: z.number().int().min(1).max(366).optional(),
    priceYen: z.number().int().min(0).max(1_000_000),
    fareYen: z.number().int().min(0).max(100_000),
    eligibility: z.enum(["NONE", "AGE_70_PLUS", "DISABILITY"]).default("NONE"),
    active: z.boolean().default(true),
  })
  .refine(
    (p) =>
      p.kind === "TICKET_BOOK"
        ? p.rides !== undefined && p.validDays === undefined
        : p.validDays !== undefined && p.rides === undefined,
    {
      message: "A ticket book has rides, a pass has validDays.",
      path: ["kind"],
    },
  );
export type TBusProductDefinition = z.input<typeof ZBusProductDefinition>;

/**
 * The operator defines (or updates) its products by code; existing tickets keep the price and
 * fare they were bought at. Only a BUS_OPERATOR partner sells bus products.
 */
export async function defineBusProducts(
  prisma: PrismaClient,
  o: { partnerId: string; products: unknown[] },
): Promise<{ codes: string[] }> {
  assertSafeJson(o.products, "products");
  const products = o.products.map((p) => ZBusProductDefinition.parse(p));
  return prisma.$transaction(async (tx) => {
    const partner = await tx.partner.findUnique({ where: { id: o.partnerId }, select: { kind: true, active: true } });
    if (!partner?.active || partner.kind !== "BUS_OPERATOR")
      throw new AppError("NOT_FOUND", { message: "No such bus operator." });
    for (const p of products) {
      const data = {
        kind: p.kind,
        nameJa: p.nameJa,
        nameEn: p.nameEn,
        rides: p.rides ?? null,
        validDays: p.validDays ?? null,
        priceYen: p.priceYen,
        fareYen: p.fareYen,
        eligibility: p.eligibility,
        active: p.active,
      };
      await tx.busProduct.upsert({
        where: { partnerId_code: { partnerId: o.partnerId, code: p.code } },
        create: { partnerId: o.partnerId, code: p.code, ...data },
        update: data,
      });
    }
    return { codes: products.map((p) => p.code) };
  });
}
