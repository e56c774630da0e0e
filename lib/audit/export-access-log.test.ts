import { describe, expect, it } from "vitest";
import { seedPartner, seedResident, seedStaffMember } from "../../prisma/seed/factories";
import { useTestDatabase } from "../../test/db";
import { appendAuditEvent } from "./append-audit-event";
import { ACCESS_LOG_CSV_COLUMNS, csvField, exportAccessLog } from "./export-access-log";
import { verifyAuditChain } from "./verify-audit-chain";

describe("access log export (CSV and JSON)", () => {
  const db = useTestDatabase();

  it("[ACCESS_LOG][EXPORT]: exports the resident's own lines only, in both formats, and audits each export", async () => {
    const { prisma } = db();
    const me = await seedResident(prisma);
    const other = await seedResident(prisma);
    const staff = await seedStaffMember(prisma, { department: "住民課" });
    const partner = await seedPartner(prisma, { name: '=HYPERLINK("x")銀行', nameEn: 'Bank, "Quoted"', kind: "BANK" });
    const append = (input: Parameters<typeof appendAuditEvent>[1]) =>
      prisma.$transaction((tx) => appendAuditEvent(tx, input));
    await append({
      type: "resident.record_read",
      actor: { type: "staff", id: staff.id },
      subjectResidentId: me.id,
      purpose: "転出届の審査",
      channel: "console",
      requestMetadata: { ip: "203.0.113.9", userAgent: "console" },
    });
    await append({
      type: "partner.api_access",
      actor: { type: "partner", id: partner.id },
      subjectResidentId: me.id,
      purpose: "口座開設\nの確認",
      channel: "api",
    });
    await append({
      type: "resident.record_read",
      actor: { type: "staff", id: staff.id },
      subjectResidentId: other.id,
      purpose: "他人の記録",
    });

    const csv = await exportAccessLog(prisma, {
      residentId: me.id,
      format: "csv",
      channel: "pc",
      now: new Date("2026-11-25T03:00:00Z"),
    });
    expect(csv).toMatchObject({
      filename: "access-log-2026-11-25.csv",
      contentType: "text/csv; charset=utf-8",
      count: 2,
    });
    expect(csv.body.startsWith("\uFEFF")).toBe(true);
    const lines = csv.body.slice(1).split("\r\n");
    expect(lines[0]).toBe(ACCESS_LOG_CSV_COLUMNS.join(","));
    expect(lines).toHaveLength(4); // header, 2 lines, trailing empty
    expect(lines[1]).toContain(
      `partner.api_access,partner,false,"'=HYPERLINK(""x"")銀行","Bank, ""Quoted""","口座開設`,
    );
    expect(csv.body).toContain("転出届の審査,console");
    expect(csv.body).toContain("住民課");
    expect(csv.body).not.toContain("他人の記録");
    expect(csv.body).not.toContain("203.0.113.9");
    expect(csv.body).not.toContain(staff.id);

    const json = await exportAccessLog(prisma, { residentId: me.id, format: "json", channel: "pc" });
    const parsed = JSON.parse(json.body) as {
      format: string;
      truncated: boolean;
      items: { type: string; purpose: string | null }[];
    };
    expect(parsed.format).toBe("ichimai-access-log/1");
    expect(parsed.truncated).toBe(false);
    // The CSV export is itself a line now, newest first.
    expect(parsed.items.map((i) => i.type)).toEqual(["audit.exported", "partner.api_access", "resident.record_read"]);
    expect(json.body).not.toContain("他人の記録");

    const exports = await prisma.auditEvent.findMany({
      where: { type: "audit.exported", subjectResidentId: me.id },
      orderBy: { seq: "asc" },
    });
    expect(exports.map((e) => e.data)).toEqual([
      { format: "csv", count: 2, truncated: false },
      { format: "json", count: 3, truncated: false },
    ]);
    expect(exports[0]).toMatchObject({ actorType: "resident", actorId: me.id, channel: "pc" });
    expect(await verifyAuditChain(prisma)).toMatchObject({ ok: true });
  });

  it("quotes CSV fields per RFC 4180 and defuses formulas", () => {
    expect(csvField(null)).toBe("");
    expect(csvField(true)).toBe("true");
    expect(csvField("plain")).toBe("plain");
    expect(csvField('a"b')).toBe('"a""b"');
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField("+1")).toBe("'+1");
    expect(csvField("-1,2")).toBe(`"'-1,2"`);
    expect(csvField("@SUM")).toBe("'@SUM");
  });
});
