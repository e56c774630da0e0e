import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { makeToken } from "../../../test/auth/jpki-world";
import { AppError } from "../../errors/app-error";
import { linkPartner } from "../../mailbox/link-partner";
import { useTestDatabase } from "../../../test/db";
import { PORTAL, startPlatformWorld, type TPlatformWorld } from "../../../test/platform/platform-world";
import { authenticateTerminalDevice } from "./authenticate-terminal-device";
import { enrolTerminalDevice } from "./enrol-terminal-device";
import { hashDeviceSecret, registerTerminalDevice, TERMINAL_ENROLMENT_TTL_MS } from "./register-terminal-device";
import { checkTerminalTap, startTerminalTap } from "./terminal-tap";

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e.code;
    if (e instanceof ZodError) return "VALIDATION_FAILED";
    throw e;
  }
  throw new Error("expected a rejection");
}

describe("partner terminal devices: enrolment, device token, card tap through lib/platform eligibility", () => {
  const db = useTestDatabase();
  let world: TPlatformWorld;

  beforeAll(async () => {
    world = await startPlatformWorld();
  });
  afterAll(async () => {
    await world?.close();
  });

  it("[TERMINAL][DEVICE]: a one-time code enrols once; the token authenticates; only hashes are stored", async () => {
    const { prisma } = db();
    const hospital = await world.partner(prisma, { kind: "HEALTH_INSURER", scopes: ["eligibility:verify"] });
    const reg = await registerTerminalDevice(prisma, { partner: hospital.partnerId, label: "受付1", mode: "HOSPITAL" });
    const { deviceToken, deviceId } = await enrolTerminalDevice(prisma, { request: { code: reg.enrolmentCode } });
    expect(deviceId).toBe(reg.deviceId);
    const row = await prisma.terminalDevice.findUniqueOrThrow({ where: { id: deviceId } });
    expect(row.tokenHash).toBe(hashDeviceSecret(deviceToken));
    expect(row.enrolmentCodeHash).toBeNull();
    expect(JSON.stringify(row)).not.toContain(deviceToken);
    const device = await authenticateTerminalDevice(prisma, { token: deviceToken });
    expect(device).toMatchObject({
      id: deviceId,
      label: "受付1",
      mode: "HOSPITAL",
      partner: { id: hospital.partnerId },
    });

    // Single use, and a code nobody issued, are the same error.
    expect(await code(enrolTerminalDevice(prisma, { request: { code: reg.enrolmentCode } }))).toBe(
      "TERMINAL_ENROLMENT_INVALID",
    );
    expect(await code(enrolTerminalDevice(prisma, { request: { code: "x".repeat(43) } }))).toBe(
      "TERMINAL_ENROLMENT_INVALID",
    );
    expect(await code(enrolTerminalDevice(prisma, { request: { code: "short" } }))).toBe("VALIDATION_FAILED");
    expect(await code(authenticateTerminalDevice(prisma, { token: undefined }))).toBe("TERMINAL_NOT_ENROLLED");
    expect(await code(authenticateTerminalDevice(prisma, { token: "y".repeat(43) }))).toBe("TERMINAL_NOT_ENROLLED");

    // Expired code.
    const late = await registerTerminalDevice(prisma, {
      partner: hospital.partnerId,
      label: "受付2",
      mode: "HOSPITAL",
    });
    expect(
      await code(
        enrolTerminalDevice(prisma, {
          request: { code: late.enrolmentCode },
          now: new Date(Date.now() + TERMINAL_ENROLMENT_TTL_MS + 1000),
        }),
      ),
    ).toBe("TERMINAL_ENROLMENT_INVALID");

    // Re-registering the label (kiosk replaced) cuts the old token off.
    await registerTerminalDevice(prisma, { partner: hospital.partnerId, label: "受付1", mode: "HOSPITAL" });
    expect(await code(authenticateTerminalDevice(prisma, { token: deviceToken }))).toBe("TERMINAL_NOT_ENROLLED");
  });

  it("[TERMINAL][DISABLED]: a disabled device, an inactive partner or a withdrawn scope stop the kiosk", async () => {
    const { prisma } = db();
    const bus = await world.partner(prisma, { scopes: ["eligibility:verify"] });
    const enrol = async (label: string) => {
      const reg = await registerTerminalDevice(prisma, { partner: bus.partnerId, label, mode: "BUS" });
      return (await enrolTerminalDevice(prisma, { request: { code: reg.enrolmentCode } })).deviceToken;
    };
    const a = await enrol("bus-1");
    await prisma.terminalDevice.updateMany({
      where: { label: "bus-1", partnerId: bus.partnerId },
      data: { active: false },
    });
    expect(await code(authenticateTerminalDevice(prisma, { token: a }))).toBe("TERMINAL_DISABLED");
    const b = await enrol("bus-2");
    await prisma.partner.update({ where: { id: bus.partnerId }, data: { approvedScopes: ["documents:deliver"] } });
    expect(await code(authenticateTerminalDevice(prisma, { token: b }))).toBe("TERMINAL_DISABLED");
    expect(await code(registerTerminalDevice(prisma, { partner: bus.partnerId, label: "bus-3", mode: "BUS" }))).toBe(
      "TERMINAL_DISABLED",
    );
    expect(await code(registerTerminalDevice(prisma, { partner: "no-such-partner", label: "x", mode: "BUS" }))).toBe(
      "NOT_FOUND",
    );
  });

  it("[TERMINAL][TAP]: the kiosk's tap answers with the member reference; replay refused; the access log names the device", async () => {
    const { prisma } = db();
    const ctx = world.context(prisma);
    const hospital = await world.partner(prisma, { kind: "HEALTH_INSURER", scopes: ["eligibility:verify"] });
    const reg = await registerTerminalDevice(prisma, { partner: hospital.partnerId, label: "受付3", mode: "HOSPITAL" });
    const { deviceToken } = await enrolTerminalDevice(prisma, { request: { code: reg.enrolmentCode } });
    const device = await authenticateTerminalDevice(prisma, { token: deviceToken });
    const { resident, card } = await world.resident(prisma);
    await linkPartner(prisma, { residentId: resident.id, partnerId: hospital.partnerId, partnerRef: "06360012-1-23" });

    const challenge = await startTerminalTap(ctx, { device });
    expect(challenge.origin).toBe(PORTAL);
    const request = { nonce: challenge.nonce, token: await makeToken(card.auth, challenge.nonce, PORTAL) };
    const answer = await checkTerminalTap(ctx, { device, terminalBinding: challenge.terminalBinding, request });
    expect(answer).toMatchObject({ eligible: true, member: { reference: "06360012-1-23" } });
    expect(JSON.stringify(answer)).not.toContain(resident.familyName);
    const audit = await prisma.auditEvent.findFirstOrThrow({
      where: { subjectResidentId: resident.id, type: "partner.api_access" },
    });
    expect(audit).toMatchObject({ actorType: "partner", actorId: hospital.partnerId, channel: "terminal" });
    expect(audit.data).toMatchObject({ terminal: "受付3", terminalDeviceId: device.id, eligible: true });

    expect(await code(checkTerminalTap(ctx, { device, terminalBinding: challenge.terminalBinding, request }))).toBe(
      "CHALLENGE_REPLAYED",
    );
    expect(await code(checkTerminalTap(ctx, { device, terminalBinding: undefined, request }))).toBe(
      "TERMINAL_TAP_NOT_STARTED",
    );
    // Another partner's kiosk cannot answer this partner's challenge.
    const other = await world.partner(prisma, { scopes: ["eligibility:verify"] });
    const otherReg = await registerTerminalDevice(prisma, {
      partner: other.partnerId,
      label: "受付3",
      mode: "HOSPITAL",
    });
    const otherDevice = await authenticateTerminalDevice(prisma, {
      token: (await enrolTerminalDevice(prisma, { request: { code: otherReg.enrolmentCode } })).deviceToken,
    });
    const c2 = await startTerminalTap(ctx, { device });
    expect(
      await code(
        checkTerminalTap(ctx, {
          device: otherDevice,
          terminalBinding: c2.terminalBinding,
          request: { nonce: c2.nonce, token: await makeToken(card.auth, c2.nonce, PORTAL) },
        }),
      ),
    ).toBe("CHALLENGE_UNKNOWN");

    // Not linked to this partner: not a member.
    const stranger = await world.resident(prisma);
    const c3 = await startTerminalTap(ctx, { device });
    expect(
      await checkTerminalTap(ctx, {
        device,
        terminalBinding: c3.terminalBinding,
        request: { nonce: c3.nonce, token: await makeToken(stranger.card.auth, c3.nonce, PORTAL) },
      }),
    ).toMatchObject({ eligible: false, reason: "RECIPIENT_NOT_LINKED" });
  });
});
