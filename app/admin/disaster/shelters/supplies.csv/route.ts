// GET /admin/disaster/shelters/supplies.csv – the supply suggestions of every open shelter for one
// day (or ?days=1..14), one row per shelter and rule, with the rule beside the figure (CSV, UTF-8
// with BOM for spreadsheet software). Counts only. Staff with DISASTER_OFFICER or ADMIN.
import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import { staffRoute } from "@/app/_server/route";
import { getDb } from "@/lib/db/client";
import { SHELTER_STAFF_ROLES } from "@/lib/disaster/shelters/dashboard";
import { shelterSupplyRows } from "@/lib/disaster/shelters/supply-export";

export const dynamic = "force-dynamic";

const ZDays = z.coerce.number().int().min(1).max(14).catch(1);

export const GET = staffRoute(
  async (request: Request) => {
    const days = ZDays.parse(new URL(request.url).searchParams.get("days") ?? 1);
    const rows = await shelterSupplyRows({ prisma: await getDb() }, { days });
    const csv = stringify(rows, {
      header: true,
      columns: [
        { key: "shelterCode", header: "shelter_code" },
        { key: "shelterName", header: "shelter_name" },
        { key: "headCount", header: "head_count" },
        { key: "item", header: "item" },
        { key: "people", header: "people_counted" },
        { key: "quantity", header: "quantity" },
        { key: "unit", header: "unit" },
        { key: "days", header: "days" },
        { key: "rule", header: "rule" },
      ],
    });
    return new Response(`\uFEFF${csv}`, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="shelter-supplies-${days}d.csv"`,
        "Cache-Control": "no-store",
      },
    });
  },
  { roles: SHELTER_STAFF_ROLES },
);
