import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { seedPartner, seedStaffMember } from "../../prisma/seed/factories";
import { useTestDatabase } from "../../test/db";
import { AppError } from "../errors/app-error";
import { setPartnerActionOrigins } from "./set-action-origins";

describe("staff set a partner's action origins", () => {
  const db = useTestDatabase();

  it("[ACTIONS][STAFF]: an administrator sets bare https origins (audited); a clerk may not; a URL with a path is refused", async () => {
    const { prisma } = db();
    const partner = await seedPartner(prisma);
    const admin = await seedStaffMember(prisma, { roles: ["ADMIN"] });
    const clerk = await seedStaffMember(prisma, { roles: ["CLERK"] });
    const set = (staffId: string, origins: string[]) =>
      setPartnerActionOrigins(prisma, { staffId, input: { partnerId: partner.id, origins } });

    expect(
      await set(admin.id, ["https://pay.example.jp/", "https://Pay.Example.jp", "https://apply.example.jp:8443"]),
    ).toEqual({
      origins: ["https://apply.example.jp:8443", "https://pay.example.jp"],
    });
    expect((await prisma.partner.findUniqueOrThrow({ where: { id: partner.id } })).actionOrigins).toEqual([
      "https://apply.example.jp:8443",
      "https://pay.example.jp",
    ]);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { type: "partner.action_origins_changed" } });
    expect(audit).toMatchObject({ actorType: "staff", actorId: admin.id });
    expect(audit.data).toMatchObject({
      partnerId: partner.id,
      before: [],
      after: ["https://apply.example.jp:8443", "https://pay.example.jp"],
    });

    await expect(set(clerk.id, [])).rejects.toSatisfy((e) => e instanceof AppError && e.code === "FORBIDDEN");
    await expect(set(admin.id, ["https://pay.example.jp/path"])).rejects.toBeInstanceOf(ZodError);
    await expect(set(admin.id, ["http://pay.example.jp"])).rejects.toBeInstanceOf(ZodError);
    expect((await prisma.partner.findUniqueOrThrow({ where: { id: partner.id } })).actionOrigins).toHaveLength(2);
  });
});
