import { z } from "zod";
import { appendAuditEvent } from "../../audit/append-audit-event";
import type { TRequestMetadata } from "../../audit/schemas";
import type { PrismaClient } from "../../db/client";
import { AppError } from "../../errors/app-error";
import { jstDayStart } from "./bus-context";
import { csvLines, type TCsvCell } from "./csv";

/** The staff roles that may download the report (billing: supervisors and administrators). */
export const BUS_REPORT_ROLES = ["SUPERVISOR", "ADMIN"] as const;

export const ZReportMonth = z.string().regex(/^20\d{2}-(0[1-9]|1[0-2])$/, "YYYY-MM");

export type TBusReportRow = {
  operator: string;
  productCode: string;
  productName: string;
  eligibility: "NONE" | "AGE_70_PLUS" | "DISABILITY" | "DEBT";
  ticketsSold: number;
  salesYen: number;
  rides: number;
  fareYen: number;
  paidYen: number;
  discountYen: number;
  subsidyYen: number;
};

/** The month [start, end) in Japan time. */
export function monthRange(month: string): { from: Date; to: Date } {
  const [y, m] = ZReportMonth.parse(month).split("-").map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
  return { from: jstDayStart(`${month}-01`), to: jstDayStart(`${next}-01`) };
}

/**
 * The municipality's monthly ride and billing report (JST month): per operator, product and
 * eligibility category the tickets sold and their price, the rides, their regular fares, what
 * the riders paid, the discounts, and the subsidy the town owes the operator (the discounts of
 * the 敬老 and 障害者 categories). Offline rides nothing covered are one DEBT line per operator.
 * No personal data: counts and sums only. The read is audited (staff.access, no subject).
 */
export async function busMonthlyReport(
  prisma: PrismaClient,
  o: { month: string; staffId: string; requestMetadata?: TRequestMetadata },
): Promise<TBusReportRow[]> {
  const parsed = ZReportMonth.safeParse(o.month);
  if (!parsed.success) throw new AppError("VALIDATION_FAILED", { details: [{ path: "month", message: "YYYY-MM" }] });
  const { from, to } = monthRange(parsed.data);
  return prisma.$transaction(async (tx) => {
    const [products, sales, rides, debts] = await Promise.all([
      tx.busProduct.findMany({
        select: {
          id: true,
          code: true,
          nameJa: true,
          eligibility: true,
          partner: { select: { id: true, name: true } },
        },
      }),
      tx.busTicket.groupBy({
        by: ["productId", "eligibility"],
        where: { purchasedAt: { gte: from, lt: to } },
        _count: { _all: true },
        _sum: { priceYen: true },
      }),
      tx.$queryRaw<
        {
          productId: string;
          eligibility: string;
          rides: bigint;
          fare: bigint;
          paid: bigint;
          discount: bigint;
          subsidy: bigint;
        }[]
      >`SELECT t."productId", r."eligibility"::text AS eligibility, count(*) AS rides, sum(r."fareYen") AS fare,
               sum(r."paidYen") AS paid, sum(r."discountYen") AS discount, sum(r."subsidyYen") AS subsidy
          FROM "BusRide" r JOIN "BusTicket" t ON t.id = r."ticketId"
         WHERE r."rideAt" >= ${from} AND r."rideAt" < ${to} AND r.status = 'CHARGED'
         GROUP BY t."productId", r."eligibility"`,
      tx.busRide.groupBy({
        by: ["partnerId"],
        where: { rideAt: { gte: from, lt: to }, status: "DEBT" },
        _count: { _all: true },
        _sum: { fareYen: true },
      }),
    ]);
    const rows: TBusReportRow[] = [];
    for (const p of products) {
      const sold = sales.filter((s) => s.productId === p.id);
      const rode = rides.filter((r) => r.productId === p.id);
      if (sold.length === 0 && rode.length === 0) continue;
      rows.push({
        operator: p.partner.name,
        productCode: p.code,
        productName: p.nameJa,
        eligibility: p.eligibility,
        ticketsSold: sold.reduce((a, s) => a + s._count._all, 0),
        salesYen: sold.reduce((a, s) => a + (s._sum.priceYen ?? 0), 0),
        rides: rode.reduce((a, r) => a + Number(r.rides), 0),
        fareYen: rode.reduce((a, r) => a + Number(r.fare), 0),
        paidYen: rode.reduce((a, r) => a + Number(r.paid), 0),
        discountYen: rode.reduce((a, r) => a + Number(r.discount), 0),
        subsidyYen: rode.reduce((a, r) => a + Number(r.subsidy), 0),
      });
    }
    const operators = new Map(products.map((p) => [p.partner.id, p.partner.name]));
    for (const d of debts) {
      rows.push({
        operator: operators.get(d.partnerId) ?? d.partnerId,
        productCode: "",
        productName: "未精算（オフライン乗車）",
        eligibility: "DEBT",
        ticketsSold: 0,
        salesYen: 0,
        rides: d._count._all,
        fareYen: d._sum.fareYen ?? 0,
        paidYen: 0,
        discountYen: 0,
        subsidyYen: 0,
      });
    }
    rows.sort((a, b) => a.operator.localeCompare(b.operator) || a.productCode.localeCompare(b.productCode));
    await appendAuditEvent(tx, {
      type: "staff.access",
      actor: { type: "staff", id: o.staffId },
      purpose: "バス乗車・精算の月次報告",
      channel: "console",
      requestMetadata: o.requestMetadata,
      data: { operation: "bus_monthly_report", month: parsed.data, rows: rows.length },
    });
    return rows;
  });
}

const HEADER = [
  "month",
  "operator",
  "product_code",
  "product_name",
  "eligibility",
  "tickets_sold",
  "sales_yen",
  "rides",
  "fare_yen",
  "paid_yen",
  "discount_yen",
  "town_subsidy_yen",
];

/** The report as CSV (RFC 4180, UTF-8 with a BOM so spreadsheets read the Japanese), with a total line. */
export function busReportCsv(month: string, rows: readonly TBusReportRow[]): string {
  const body: TCsvCell[][] = rows.map((r) => [
    month,
    r.operator,
    r.productCode,
    r.productName,
    r.eligibility,
    r.ticketsSold,
    r.salesYen,
    r.rides,
    r.fareYen,
    r.paidYen,
    r.discountYen,
    r.subsidyYen,
  ]);
  const sum = (k: keyof TBusReportRow) => rows.reduce((a, r) => a + (r[k] as number), 0);
  body.push([
    month,
    "TOTAL",
    "",
    "",
    "",
    sum("ticketsSold"),
    sum("salesYen"),
    sum("rides"),
    sum("fareYen"),
    sum("paidYen"),
    sum("discountYen"),
    sum("subsidyYen"),
  ]);
  return `\ufeff${csvLines([HEADER, ...body])}`;
}
