import { parse } from "csv-parse/sync";
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { PrismaClient } from "@/lib/db/client";
import { seedStaffMember } from "@/prisma/seed/factories";
import { appendTestAuditEvents } from "@/test/audit/audit-chain-fixtures";
import { useTestDatabase } from "@/test/db";

const session = vi.hoisted(() => ({ requireStaff: vi.fn() }));
const dbRef = vi.hoisted(() => ({ prisma: undefined as unknown }));
vi.mock("@/app/_server/session", () => session);
vi.mock("@/lib/db/client", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/db/client")>()),
  getDb: async () => dbRef.prisma,
}));

const { GET } = await import("@/app/admin/audit/export/route");

/** GET /admin/audit/export: the staff wrapper's roles, the filter from the query, the audited CSV. */
describe("audit CSV export route", () => {
  const db = useTestDatabase();
  let auditorId: string;

  beforeAll(async () => {
    const p: PrismaClient = db().prisma;
    dbRef.prisma = p;
    auditorId = (await seedStaffMember(p, { roles: ["AUDITOR"] })).id;
    await appendTestAuditEvents(p, 3);
  });

  const get = (query: string) => GET(new NextRequest(`http://localhost/admin/audit/export${query}`));

  it("answers 401 without a staff session and 403 for staff without AUDITOR/ADMIN", async () => {
    session.requireStaff.mockResolvedValueOnce(null);
    expect((await get("")).status).toBe(401);
    session.requireStaff.mockResolvedValueOnce({ staffId: auditorId, displayName: "x", roles: ["CLERK"] });
    const res = await get("");
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: "FORBIDDEN" } });
  });

  it("answers 422 for a malformed filter, and the filtered CSV as an attachment", async () => {
    session.requireStaff.mockResolvedValue({ staffId: auditorId, displayName: "x", roles: ["AUDITOR"] });
    expect((await get("?channel=carrier-pigeon")).status).toBe(422);
    const res = await get("?type=resident.record_read&actorId=staff-1&from=2000-01-01");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="ichimai-audit-.*\.csv"$/);
    const rows = parse((await res.text()).replace(/^\uFEFF/, ""), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.seq, r.actorId])).toEqual([["2", "staff-1"]]);
    const exported = await db().prisma.auditEvent.findFirstOrThrow({ where: { type: "audit.exported" } });
    expect(exported).toMatchObject({ actorType: "staff", actorId: auditorId });
    expect(exported.data).toMatchObject({
      count: 1,
      filter: { type: "resident.record_read", actorId: "staff-1", from: "1999-12-31T15:00:00.000Z" },
    });
  });
});
