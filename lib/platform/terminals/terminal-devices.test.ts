import { describe, expect, it } from "vitest";
import { makeToken } from "../../../test/auth/jpki-world";
import { linkPartner } from "../../mailbox/link-partner";
import { useTestDatabase } from "../../../test/db";
import { PORTAL, usePlatformWorld } from "../../../test/platform/platform-world";
import { authenticateTerminalDevice } from "./authenticate-terminal-device";
import { enrolTerminalDevice } from "./enrol-terminal-device";
import { hashDeviceSecret, registerTerminalDevice, TERMINAL_ENROLMENT_TTL_MS } from "./register-terminal-device";
import { checkTerminalTap, startTerminalTap } from "./terminal-tap";
import { rejectionCode } from "../../../test/rejection-code";

const code = (p: Promise<unknown>) => rejectionCode(p, { zod: true });

describe("partner terminal devices: enrolment, device token, card tap through lib/platform eligibility", () => {
  const db = useTestDatabase();
  const world = usePlatformWorld();

  it("[TERMINAL][DEVICE]: a one-time code enrols once; the token authenticates; only hashes are stored", async () => {
    const { prisma } = db();
    const hospital = await world().partner(prisma, { kind: "HEALTH_INSURER", scopes: ["eligibility:verify"] });
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
    const bus = await world().partner(prisma, { scopes: ["eligibility:verify"] });
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
    const ctx = world().context(prisma);
    const hospital = await world().partner(prisma, { kind: "HEALTH_INSURER", scopes: ["eligibility:verify"] });
    const reg = await registerTerminalDevice(prisma, { partner: hospital.partnerId, label: "受付3", mode: "HOSPITAL" });
    const { deviceToken } = await enrolTerminalDevice(prisma, { request: { code: reg.enrolmentCode } });
    const device = await authenticateTerminalDevice(prisma, { token: deviceToken });
    const { resident, card } = await world().resident(prisma);
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
    const other = await world().partner(prisma, { scopes: ["eligibility:verify"] });
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
    const stranger = await world().resident(prisma);
    const c3 = await startTerminalTap(ctx, { device });
    expect(
      await checkTerminalTap(ctx, {
        device,
        terminalBinding: c3.terminalBinding,
        request: { nonce: c3.nonce, token: await makeToken(stranger.card.auth, c3.nonce, PORTAL) },
      }),
    ).toMatchObject({ eligible: false, reason: "RECIPIENT_NOT_LINKED" });
  });

  it("[TERMINAL][MODE]: a TEST kiosk checks only sandbox cards, a LIVE kiosk only real ones; a refusal is 403, names no resident, reads nothing, and is audited", async () => {
    const { prisma } = db();
    const ctx = world().context(prisma);
    const insurer = await world().partner(prisma, { kind: "HEALTH_INSURER", scopes: ["eligibility:verify"] });
    const kiosk = async (label: string, credentialMode?: "TEST" | "LIVE") => {
      const reg = await registerTerminalDevice(prisma, {
        partner: insurer.partnerId,
        label,
        mode: "HOSPITAL",
        ...(credentialMode ? { credentialMode } : {}),
      });
      const { deviceToken } = await enrolTerminalDevice(prisma, { request: { code: reg.enrolmentCode } });
      return authenticateTerminalDevice(prisma, { token: deviceToken });
    };
    const testKiosk = await kiosk("sandbox-1", "TEST");
    const liveKiosk = await kiosk("live-1");
    expect(testKiosk.credentialMode).toBe("TEST");
    // Registered without a credential mode: LIVE, as every kiosk was before the column.
    expect(liveKiosk.credentialMode).toBe("LIVE");

    const real = await world().resident(prisma);
    const sandbox = await world().resident(prisma, { sandbox: true });
    await linkPartner(prisma, { residentId: real.resident.id, partnerId: insurer.partnerId, partnerRef: "REAL-9" });
    await linkPartner(prisma, { residentId: sandbox.resident.id, partnerId: insurer.partnerId, partnerRef: "SBX-9" });
    const tap = async (device: typeof testKiosk, card: typeof real.card) => {
      const c = await startTerminalTap(ctx, { device });
      return checkTerminalTap(ctx, {
        device,
        terminalBinding: c.terminalBinding,
        request: { nonce: c.nonce, token: await makeToken(card.auth, c.nonce, PORTAL) },
      });
    };
    const reads = (residentId: string) =>
      prisma.auditEvent.count({ where: { subjectResidentId: residentId, type: "partner.api_access" } });
    const refusals = () =>
      prisma.auditEvent.findMany({
        where: { actorId: insurer.partnerId, type: "partner.terminal_tap_refused" },
        orderBy: { seq: "asc" },
      });

    expect(await code(tap(testKiosk, real.card))).toBe("CREDENTIAL_MODE_MISMATCH");
    expect(await code(tap(liveKiosk, sandbox.card))).toBe("CREDENTIAL_MODE_MISMATCH");
    expect(await reads(real.resident.id)).toBe(0);
    expect(await reads(sandbox.resident.id)).toBe(0);
    const refused = await refusals();
    expect(refused.map((e) => [e.subjectResidentId, e.channel, e.data])).toEqual([
      [null, "terminal", expect.objectContaining({ terminalDeviceId: testKiosk.id, credentialMode: "TEST" })],
      [null, "terminal", expect.objectContaining({ terminalDeviceId: liveKiosk.id, credentialMode: "LIVE" })],
    ]);

    expect(await tap(testKiosk, sandbox.card)).toMatchObject({ eligible: true, member: { reference: "SBX-9" } });
    expect(await tap(liveKiosk, real.card)).toMatchObject({ eligible: true, member: { reference: "REAL-9" } });

    // The bound resident must be on the kiosk's side too, not only the card's hierarchy.
    await prisma.resident.update({ where: { id: sandbox.resident.id }, data: { sandbox: false } });
    expect(await code(tap(testKiosk, sandbox.card))).toBe("CREDENTIAL_MODE_MISMATCH");
    expect(await reads(sandbox.resident.id)).toBe(1);
    expect(await refusals()).toHaveLength(3);
  });
});
