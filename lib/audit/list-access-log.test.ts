import { describe, expect, it } from "vitest";
import { seedPartner, seedResident, seedStaffMember } from "../../prisma/seed/factories";
import { useTestDatabase } from "../../test/db";
import { appendAuditEvent } from "./append-audit-event";
import { listAccessLog } from "./list-access-log";

describe("access log (who looked at my data)", () => {
  const db = useTestDatabase();

  it("lists only the resident's own events, newest first, by cursor, without internal fields", async () => {
    const { prisma } = db();
    const me = await seedResident(prisma);
    const other = await seedResident(prisma);
    const proxy = await seedResident(prisma);
    const staff = await seedStaffMember(prisma, { department: "住民課" });
    const partner = await seedPartner(prisma, { name: "阿波みらい銀行", nameEn: "Awa Mirai Bank", kind: "BANK" });

    const append = (input: Parameters<typeof appendAuditEvent>[1]) =>
      prisma.$transaction((tx) => appendAuditEvent(tx, input));
    await append({
      type: "auth.login_succeeded",
      actor: { type: "resident", id: me.id },
      subjectResidentId: me.id,
      channel: "pc",
    });
    await append({
      type: "resident.record_read",
      actor: { type: "staff", id: staff.id },
      subjectResidentId: me.id,
      purpose: "転出届の審査",
      channel: "console",
      requestMetadata: { ip: "203.0.113.9", userAgent: "console" },
    });
    await append({ type: "resident.record_read", actor: { type: "staff", id: staff.id }, subjectResidentId: other.id });
    await append({
      type: "partner.api_access",
      actor: { type: "partner", id: partner.id },
      subjectResidentId: me.id,
      purpose: "口座開設の本人確認",
      channel: "api",
    });
    await append({
      type: "proxy.acted",
      actor: { type: "proxy", id: proxy.id },
      subjectResidentId: me.id,
      channel: "phone",
    });
    await append({ type: "system.job_run", actor: { type: "system", id: "crl-refresh" } });

    const page1 = await listAccessLog(prisma, { residentId: me.id, limit: 3 });
    expect(page1.items.map((i) => i.type)).toEqual(["proxy.acted", "partner.api_access", "resident.record_read"]);
    expect(page1.items[0]!.actor).toEqual({
      type: "proxy",
      isSelf: false,
      label: `${proxy.familyName}\u3000${proxy.givenName}`,
      labelEn: null,
    });
    expect(page1.items[1]!.actor).toMatchObject({
      type: "partner",
      label: "阿波みらい銀行",
      labelEn: "Awa Mirai Bank",
    });
    expect(page1.items[1]!.purpose).toBe("口座開設の本人確認");
    expect(page1.items[2]!.actor).toMatchObject({ type: "staff", label: "住民課" });
    expect(Object.keys(page1.items[2]!).sort()).toEqual(["actor", "channel", "id", "occurredAt", "purpose", "type"]);
    expect(JSON.stringify(page1)).not.toContain("203.0.113.9");
    expect(JSON.stringify(page1)).not.toContain(staff.id);
    expect(page1.nextCursor).not.toBeNull();

    const page2 = await listAccessLog(prisma, { residentId: me.id, limit: 3, cursor: page1.nextCursor! });
    expect(page2.items.map((i) => i.type)).toEqual(["auth.login_succeeded"]);
    expect(page2.items[0]!.actor).toMatchObject({ type: "resident", isSelf: true });
    expect(page2.nextCursor).toBeNull();

    const others = await listAccessLog(prisma, { residentId: other.id });
    expect(others.items).toHaveLength(1);
    expect(others.nextCursor).toBeNull();
  });

  it("refuses a forged cursor and a bad resident id", async () => {
    const { prisma } = db();
    const me = await seedResident(prisma);
    await expect(listAccessLog(prisma, { residentId: me.id, cursor: "bm9wZQ" })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
    });
    await expect(listAccessLog(prisma, { residentId: "x" })).rejects.toThrow();
  });
});
