import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeToken } from "../../../test/auth/jpki-world";
import { useTestDatabase } from "../../../test/db";
import { PORTAL, startPlatformWorld, type TPlatformWorld } from "../../../test/platform/platform-world";
import { enrolledKiosk } from "../../../test/platform/terminal-world";
import type { PrismaClient } from "../../db/client";
import { linkPartner } from "../../mailbox/link-partner";
import type { TPlatformContext } from "../../platform/platform-context";
import type { TTerminalDevice } from "../../platform/terminals/authenticate-terminal-device";
import { startTerminalTap } from "../../platform/terminals/terminal-tap";
import { checkInsurance, ROSTER_MAX_AGE_MS } from "./check-insurance";
import type { TInsurerRoster } from "./insurer-roster";
import { putInsuranceMember } from "./put-insurance-member";
import { receivePatient } from "./receive-patient";
import { copayYenOf, recordVisit } from "./record-visit";
import { rejectionCode } from "../../../test/rejection-code";

const code = (p: Promise<unknown>) => rejectionCode(p, { zod: true });

const NOW = new Date("2026-12-07T03:00:00Z");
const ENTRY = {
  status: "valid",
  insurerNumber: "06360012",
  symbol: "1234",
  number: "567",
  branch: "01",
  validFrom: "2026-04-01",
  validUntil: "2027-03-31",
  copayRatio: 3,
};

describe("hospital reception (受付): the insurer's roster, insurance answers at the kiosk", () => {
  const db = useTestDatabase();
  let world: TPlatformWorld;

  beforeAll(async () => {
    world = await startPlatformWorld();
  });
  afterAll(async () => {
    await world?.close();
  });

  const kiosk = (prisma: PrismaClient, partnerId: string, label = "受付1") =>
    enrolledKiosk(prisma, { partner: partnerId, label, mode: "HOSPITAL" });

  async function tap(
    ctx: TPlatformContext,
    device: TTerminalDevice,
    card: { auth: Parameters<typeof makeToken>[0] },
    roster?: TInsurerRoster,
  ) {
    const c = await startTerminalTap(ctx, { device });
    return receivePatient(ctx, {
      device,
      terminalBinding: c.terminalBinding,
      request: { nonce: c.nonce, token: await makeToken(card.auth, c.nonce, PORTAL) },
      roster,
      insurerTimeoutMs: 200,
    });
  }

  async function setting(prisma: PrismaClient) {
    const insurer = await world.partner(prisma, { kind: "HEALTH_INSURER", scopes: ["insurance:roster"] });
    const hospital = await world.partner(prisma, { kind: "HOSPITAL", scopes: ["eligibility:verify"] });
    const device = await kiosk(prisma, hospital.partnerId);
    return { insurer, hospital, device };
  }

  it("[HOSPITAL][ELIGIBLE]: a tap names insurer, 保険者番号, 記号・番号, period and copay ratio; the access log names the terminal", async () => {
    const { prisma } = db();
    const ctx = world.context(prisma);
    const { insurer, hospital, device } = await setting(prisma);
    const { resident, card } = await world.resident(prisma);
    await linkPartner(prisma, { residentId: resident.id, partnerId: insurer.partnerId, partnerRef: "NHI-0001" });
    await linkPartner(prisma, { residentId: resident.id, partnerId: hospital.partnerId, partnerRef: "P-100" });
    const put = await putInsuranceMember(prisma, {
      insurer: { partnerId: insurer.partnerId, mode: "LIVE" },
      memberNumber: "NHI-0001",
      request: ENTRY,
    });
    expect(put.created).toBe(true);

    const answer = await tap(ctx, device, card);
    expect(answer).toMatchObject({
      result: "received",
      patient: { reference: "P-100" },
      insurance: {
        status: "eligible",
        insurerNumber: "06360012",
        symbol: "1234",
        number: "567",
        branch: "01",
        validFrom: "2026-04-01",
        validUntil: "2027-03-31",
        copayRatio: 3,
      },
    });
    const audit = await prisma.auditEvent.findFirstOrThrow({
      where: { subjectResidentId: resident.id, type: "partner.api_access", actorId: hospital.partnerId },
    });
    expect(audit).toMatchObject({ channel: "terminal", purpose: "資格確認" });
    expect(audit.data).toMatchObject({
      operation: "hospital_reception",
      terminal: "受付1",
      terminalDeviceId: device.id,
      insurance: "eligible",
      insurerId: insurer.partnerId,
    });
    // The numbers stay out of the log.
    expect(JSON.stringify(audit.data)).not.toContain("06360012");
    // The reception opened a visit holding the insurer's answer (it fixes the copay).
    const visit = await prisma.hospitalVisit.findUniqueOrThrow({ where: { id: answer.visit!.id } });
    expect(visit).toMatchObject({
      hospitalId: hospital.partnerId,
      residentId: resident.id,
      patientRef: "P-100",
      terminalLabel: "受付1",
      terminalDeviceId: device.id,
      insuranceStatus: "eligible",
      insurerId: insurer.partnerId,
      copayTenths: 3,
      status: "RECEIVED",
    });

    // A stranger (no link to the hospital) learns nothing of their insurance.
    const stranger = await world.resident(prisma);
    await linkPartner(prisma, {
      residentId: stranger.resident.id,
      partnerId: insurer.partnerId,
      partnerRef: "NHI-0002",
    });
    await putInsuranceMember(prisma, {
      insurer: { partnerId: insurer.partnerId, mode: "LIVE" },
      memberNumber: "NHI-0002",
      request: ENTRY,
    });
    const s = await tap(ctx, device, stranger.card);
    expect(s).toMatchObject({ result: "RECIPIENT_NOT_LINKED" });
    expect(s.insurance).toBeUndefined();
    expect(s.visit).toBeUndefined();
    expect(await prisma.hospitalVisit.count({ where: { residentId: stranger.resident.id } })).toBe(0);

    // A card reported lost is refused before anything is asked.
    await world.jlis.reportLost({ residentRef: resident.registryNumber });
    expect(await code(tap(ctx, device, card))).toBe("CERT_REVOKED");
  });

  it("[HOSPITAL][UNKNOWN]: lapsed is refused; unreachable, slow, stale, no entry or no insurer link are unknown, never eligible", async () => {
    const { prisma } = db();
    const ctx = world.context(prisma);
    const { insurer, hospital } = await setting(prisma);
    const { resident, card } = await world.resident(prisma);
    await linkPartner(prisma, { residentId: resident.id, partnerId: hospital.partnerId, partnerRef: "P-200" });
    const base = { residentId: resident.id, sandbox: false, now: NOW, timeoutMs: 100 };

    // No insurer linked.
    expect((await checkInsurance(prisma, base)).answer).toEqual({
      status: "unknown",
      code: "INSURANCE_UNKNOWN",
      reason: "MEMBER_NOT_FOUND",
    });
    await linkPartner(prisma, { residentId: resident.id, partnerId: insurer.partnerId, partnerRef: "NHI-0100" });
    // Linked, but the insurer holds no entry.
    expect((await checkInsurance(prisma, base)).answer).toMatchObject({
      status: "unknown",
      reason: "MEMBER_NOT_FOUND",
    });

    const put = (request: object, now = NOW) =>
      putInsuranceMember(prisma, {
        insurer: { partnerId: insurer.partnerId, mode: "LIVE" },
        memberNumber: "NHI-0100",
        request: { ...ENTRY, ...request },
        now,
      });
    await put({});
    expect((await checkInsurance(prisma, base)).answer).toMatchObject({ status: "eligible", copayRatio: 3 });

    // Unreachable (the lookup fails) and slow (no answer within the timeout): unknown.
    const failing: TInsurerRoster = { lookup: () => Promise.reject(new Error("ECONNREFUSED")) };
    const hanging: TInsurerRoster = {
      lookup: (_q, signal) =>
        new Promise((_r, reject) => signal.addEventListener("abort", () => reject(new Error("aborted")))),
    };
    for (const roster of [failing, hanging]) {
      expect((await checkInsurance(prisma, { ...base, roster })).answer).toMatchObject({
        status: "unknown",
        code: "INSURANCE_UNKNOWN",
        reason: "INSURER_UNREACHABLE",
      });
    }
    // Not confirmed within the freshness window.
    expect(
      (await checkInsurance(prisma, { ...base, now: new Date(NOW.getTime() + ROSTER_MAX_AGE_MS + 1) })).answer,
    ).toMatchObject({ status: "unknown", reason: "ROSTER_STALE" });
    // A re-confirmation (same entry) makes it fresh again.
    const later = new Date(NOW.getTime() + ROSTER_MAX_AGE_MS + 1);
    expect((await put({}, later)).created).toBe(false);
    expect((await checkInsurance(prisma, { ...base, now: later })).answer).toMatchObject({ status: "eligible" });

    // 資格喪失, and a period that has ended or not begun (JST calendar days).
    await put({ status: "lapsed" });
    expect((await checkInsurance(prisma, base)).answer).toMatchObject({ status: "lapsed", code: "INSURANCE_LAPSED" });
    await put({ validUntil: "2026-12-06" });
    expect((await checkInsurance(prisma, base)).answer).toMatchObject({ status: "lapsed" });
    // 2026-12-07T15:30Z is already 2026-12-08 in Japan.
    await put({ validFrom: "2026-12-08", validUntil: null });
    expect((await checkInsurance(prisma, base)).answer).toMatchObject({ status: "lapsed" });
    expect((await checkInsurance(prisma, { ...base, now: new Date("2026-12-07T15:30:00Z") })).answer).toMatchObject({
      status: "eligible",
    });

    // The kiosk shows the same answers: lapsed is refused, an unreachable insurer is unknown.
    const device = await kiosk(prisma, hospital.partnerId, "受付2");
    await put({ status: "lapsed" }, new Date());
    expect(await tap(ctx, device, card)).toMatchObject({
      result: "received",
      insurance: { status: "lapsed", code: "INSURANCE_LAPSED", insurerNumber: "06360012" },
    });
    await put({}, new Date());
    const atKiosk = await tap(ctx, device, card, failing);
    expect(atKiosk.insurance).toMatchObject({
      status: "unknown",
      code: "INSURANCE_UNKNOWN",
      reason: "INSURER_UNREACHABLE",
    });
    expect(JSON.stringify(atKiosk)).not.toContain("06360012");
  });

  it("[HOSPITAL][MODE]: TEST roster entries answer for sandbox residents only; LIVE for real ones", async () => {
    const { prisma } = db();
    const { insurer } = await setting(prisma);
    const real = await world.resident(prisma);
    const sbx = await world.resident(prisma, { sandbox: true });
    await linkPartner(prisma, { residentId: real.resident.id, partnerId: insurer.partnerId, partnerRef: "M-1" });
    await linkPartner(prisma, { residentId: sbx.resident.id, partnerId: insurer.partnerId, partnerRef: "M-2" });
    // A TEST key writes both numbers: only the sandbox resident becomes insured.
    for (const memberNumber of ["M-1", "M-2"]) {
      await putInsuranceMember(prisma, {
        insurer: { partnerId: insurer.partnerId, mode: "TEST" },
        memberNumber,
        request: ENTRY,
        now: NOW,
      });
    }
    const ask = (residentId: string, sandbox: boolean) =>
      checkInsurance(prisma, { residentId, sandbox, now: NOW }).then((r) => r.answer.status);
    expect(await ask(real.resident.id, false)).toBe("unknown");
    expect(await ask(sbx.resident.id, true)).toBe("eligible");
  });

  it("[HOSPITAL][ROSTER-INPUT]: bad roster input is refused with stable codes and writes nothing", async () => {
    const { prisma } = db();
    const { insurer, hospital } = await setting(prisma);
    const put = (memberNumber: unknown, request: object, partnerId = insurer.partnerId) =>
      code(putInsuranceMember(prisma, { insurer: { partnerId, mode: "LIVE" }, memberNumber, request }));
    expect(await put("M", { ...ENTRY, copayRatio: 4 })).toBe("VALIDATION_FAILED");
    expect(await put("M", { ...ENTRY, copayRatio: 0 })).toBe("VALIDATION_FAILED");
    expect(await put("M", { ...ENTRY, insurerNumber: "12345" })).toBe("VALIDATION_FAILED");
    expect(await put("M", { ...ENTRY, validFrom: "2027-02-30" })).toBe("VALIDATION_FAILED");
    expect(await put("M", { ...ENTRY, validUntil: "2026-01-01" })).toBe("VALIDATION_FAILED");
    expect(await put("M", { ...ENTRY, status: "suspended" })).toBe("VALIDATION_FAILED");
    expect(await put("M", { ...ENTRY, extra: 1 })).toBe("VALIDATION_FAILED");
    expect(await put("M\u0000", ENTRY)).toBe("VALIDATION_FAILED");
    expect(await put("", ENTRY)).toBe("VALIDATION_FAILED");
    // Only a health insurer keeps a roster.
    expect(await put("M", ENTRY, hospital.partnerId)).toBe("FORBIDDEN");
    expect(
      await prisma.insuranceMember.count({ where: { insurerId: { in: [insurer.partnerId, hospital.partnerId] } } }),
    ).toBe(0);
  });

  it("[HOSPITAL][COPAY]: points × 10 yen × ratio, 10円未満四捨五入; no confirmed insurance pays 10割", () => {
    expect(copayYenOf(412, 3)).toBe(1240); // 4,120 × 0.3 = 1,236 → 1,240
    expect(copayYenOf(415, 3)).toBe(1250); // 1,245 → 1,250 (half up)
    expect(copayYenOf(414, 3)).toBe(1240); // 1,242 → 1,240
    expect(copayYenOf(333, 1)).toBe(330); // 333 → 330
    expect(copayYenOf(335, 2)).toBe(670);
    expect(copayYenOf(0, 3)).toBe(0);
    expect(copayYenOf(412, null)).toBe(4120);
    expect(copayYenOf(1_000_000, 3)).toBe(3_000_000);
  });

  it("[HOSPITAL][VISIT]: a visit is recorded once — retries and concurrent calls record it exactly once; bad or absurd fees, another hospital, the other mode are refused and write nothing", async () => {
    const { prisma } = db();
    const { insurer, hospital } = await setting(prisma);
    const hospitalCred = await world.partner(prisma, { kind: "HOSPITAL", scopes: ["hospital:visits"] });
    const { resident } = await world.resident(prisma);
    const open = (copayTenths: number | null, hospitalId = hospital.partnerId) =>
      prisma.hospitalVisit.create({
        data: {
          hospitalId,
          residentId: resident.id,
          patientRef: "P-300",
          terminalLabel: "受付1",
          receivedAt: NOW,
          insuranceStatus: copayTenths ? "eligible" : "lapsed",
          insurerId: insurer.partnerId,
          copayTenths,
        },
      });
    const visit = await open(3);
    const me: { partnerId: string; mode: "TEST" | "LIVE" } = { partnerId: hospital.partnerId, mode: "LIVE" };
    const record = {
      department: "内科",
      points: 412,
      medications: [
        {
          name: "アムロジピン錠5mg",
          dose: "1回1錠 1日1回 朝食後",
          days: 28,
          prescribedAt: "2026-12-07",
          prescriber: "吉野 一郎",
        },
      ],
    };
    const bad = (request: object, o: Partial<{ visitId: string; hospital: typeof me }> = {}) =>
      code(recordVisit(prisma, { hospital: o.hospital ?? me, visitId: o.visitId ?? visit.id, request }));
    expect(await bad({ ...record, points: -1 })).toBe("VALIDATION_FAILED");
    expect(await bad({ ...record, points: 1_000_001 })).toBe("VALIDATION_FAILED");
    expect(await bad({ ...record, points: 41.5 })).toBe("VALIDATION_FAILED");
    expect(await bad({ ...record, uninsuredYen: -100 })).toBe("VALIDATION_FAILED");
    expect(await bad({ ...record, uninsuredYen: 10_000_001 })).toBe("VALIDATION_FAILED");
    expect(await bad({ ...record, department: "" })).toBe("VALIDATION_FAILED");
    expect(await bad({ ...record, medications: [{ ...record.medications[0], days: 0 }] })).toBe("VALIDATION_FAILED");
    expect(await bad(record, { hospital: { partnerId: hospitalCred.partnerId, mode: "LIVE" } })).toBe("NOT_FOUND");
    expect(await bad(record, { hospital: { ...me, mode: "TEST" } })).toBe("CREDENTIAL_MODE_MISMATCH");
    expect((await prisma.hospitalVisit.findUniqueOrThrow({ where: { id: visit.id } })).status).toBe("RECEIVED");

    // Five concurrent identical records (a client retrying on a timeout): one records, four answer it.
    const results = await Promise.all(
      Array.from({ length: 5 }, () => recordVisit(prisma, { hospital: me, visitId: visit.id, request: record })),
    );
    expect(results.filter((r) => r.recorded)).toHaveLength(1);
    for (const r of results) {
      expect(r.visit).toMatchObject({
        status: "recorded",
        department: "内科",
        points: 412,
        insuredYen: 4120,
        copayYen: 1240,
        uninsuredYen: 0,
        totalYen: 1240,
        insurance: { status: "eligible", copayRatio: 3 },
        medications: record.medications,
      });
    }
    expect(
      await prisma.auditEvent.count({
        where: { subjectResidentId: resident.id, actorId: hospital.partnerId, purpose: "診療記録" },
      }),
    ).toBe(1);
    // The same record later (key order is not significant): the stored visit; another: refused.
    const again = await recordVisit(prisma, {
      hospital: me,
      visitId: visit.id,
      request: {
        medications: record.medications.map(({ prescriber, ...m }) => ({ prescriber, ...m })),
        points: 412,
        department: "内科",
      },
    });
    expect(again.recorded).toBe(false);
    expect(await bad({ ...record, points: 413 })).toBe("VISIT_ALREADY_RECORDED");

    // Lapsed at reception: the patient pays the whole insured amount, plus the uninsured part.
    const lapsed = await open(null);
    const r = await recordVisit(prisma, {
      hospital: me,
      visitId: lapsed.id,
      request: { department: "外科", points: 100, uninsuredYen: 550 },
    });
    expect(r.visit).toMatchObject({ insurance: { status: "lapsed" }, copayYen: 1000, totalYen: 1550, medications: [] });
    expect(r.visit.insurance.copayRatio).toBeUndefined();
  });
});
