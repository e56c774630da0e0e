import { describe, expect, it } from "vitest";
import { seedResident } from "../../prisma/seed/factories";
import { useTestDatabase } from "../../test/db";
import {
  approveCrossDeviceLogin,
  completeCrossDeviceLogin,
  describeCrossDeviceLogin,
  getCrossDeviceStatus,
  startCrossDeviceLogin,
} from "./cross-device-login";
import { rejectionCode as code } from "../../test/rejection-code";

const PC = "pc-browser-binding-0123456789abcdef0123456789";
const OTHER = "other-browser-binding-0123456789abcdef012345";

describe("QR cross-device login", () => {
  const db = useTestDatabase();

  it("PC starts, a fresh card login on the phone approves, the PC completes exactly once", async () => {
    const { prisma } = db();
    const resident = await seedResident(prisma);
    const started = await startCrossDeviceLogin(prisma, { binding: PC });
    expect(started.confirmation).toMatch(/^\d{4}$/);
    expect(await getCrossDeviceStatus(prisma, { code: started.code, binding: PC })).toBe("pending");
    expect(await code(completeCrossDeviceLogin(prisma, { code: started.code, binding: PC }))).toBe(
      "CROSS_DEVICE_PENDING",
    );
    expect(await describeCrossDeviceLogin(prisma, { code: started.code })).toMatchObject({
      confirmation: started.confirmation,
      status: "pending",
    });

    // A passkey session, or a card login from 10 minutes ago, cannot approve.
    const now = Date.now();
    const approve = (assurance: string, authTime: number) =>
      approveCrossDeviceLogin(prisma, { code: started.code, residentId: resident.id, assurance, authTime });
    expect(await code(approve("passkey", now))).toBe("UNAUTHENTICATED");
    expect(await code(approve("card", now - 10 * 60_000))).toBe("UNAUTHENTICATED");
    await approve("card", now);
    expect(await code(approve("card", now))).toBe("CHALLENGE_REPLAYED");
    expect(await getCrossDeviceStatus(prisma, { code: started.code, binding: PC })).toBe("approved");

    // Only the PC browser that showed the QR code can take the login.
    expect(await code(completeCrossDeviceLogin(prisma, { code: started.code, binding: OTHER }))).toBe(
      "CHALLENGE_UNKNOWN",
    );
    expect(await code(getCrossDeviceStatus(prisma, { code: started.code, binding: OTHER }))).toBe("CHALLENGE_UNKNOWN");
    const done = await completeCrossDeviceLogin(prisma, { code: started.code, binding: PC });
    expect(done).toMatchObject({
      residentId: resident.id,
      displayName: `${resident.familyName} ${resident.givenName}`,
    });
    expect(await code(completeCrossDeviceLogin(prisma, { code: started.code, binding: PC }))).toBe(
      "CHALLENGE_REPLAYED",
    );
    const audit = await prisma.auditEvent.findFirst({
      where: { subjectResidentId: resident.id, type: "auth.login_succeeded" },
    });
    expect(audit?.data).toMatchObject({ method: "cross_device" });
  });

  it("expires after 3 minutes and refuses unknown codes", async () => {
    const { prisma } = db();
    const resident = await seedResident(prisma);
    const old = await startCrossDeviceLogin(prisma, { binding: PC, now: new Date(Date.now() - 4 * 60_000) });
    expect(await getCrossDeviceStatus(prisma, { code: old.code, binding: PC })).toBe("expired");
    expect(
      await code(
        approveCrossDeviceLogin(prisma, {
          code: old.code,
          residentId: resident.id,
          assurance: "card",
          authTime: Date.now(),
        }),
      ),
    ).toBe("CHALLENGE_EXPIRED");
    expect(await code(completeCrossDeviceLogin(prisma, { code: old.code, binding: PC }))).toBe("CHALLENGE_EXPIRED");
    expect(await code(describeCrossDeviceLogin(prisma, { code: "A".repeat(43) }))).toBe("CHALLENGE_UNKNOWN");
    expect(await code(describeCrossDeviceLogin(prisma, { code: "../../etc" }))).toBe("CHALLENGE_UNKNOWN");
  });
});
