import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeToken } from "../../../test/auth/jpki-world";
import { useTestDatabase } from "../../../test/db";
import { createTestPartnerCa, issueOrgSigner, signPayload } from "../../../test/mailbox/mailbox-world";
import { PORTAL, startPlatformWorld, type TPlatformWorld } from "../../../test/platform/platform-world";
import { enrolledKiosk } from "../../../test/platform/terminal-world";
import { seedPartner, seedResident } from "../../../prisma/seed/factories";
import { listAccessLog } from "../../audit/list-access-log";
import type { PrismaClient } from "../../db/client";
import { deliverDocument } from "../../mailbox/deliver-document";
import { EXAMPLE_PAYLOADS } from "../../mailbox/document-types/examples";
import { linkPartner } from "../../mailbox/link-partner";
import { composeEmergencyAccessNotification } from "../../notifications/emergency-access-notifications";
import { processNotificationOutbox } from "../../notifications/process-notification-outbox";
import type { TPlatformContext } from "../../platform/platform-context";
import type { TTerminalMode } from "../../platform/terminals/register-terminal-device";
import { startTerminalTap } from "../../platform/terminals/terminal-tap";
import { openBreakGlass, readBreakGlass } from "./break-glass";
import { getEmergencySettings } from "./get-emergency-settings";
import { listBreakGlassAccesses } from "./list-break-glass-accesses";
import { readEmergencyHistory } from "./read-emergency-history";
import { BREAK_GLASS_TTL_MS } from "./schemas";
import { addSelfEntry, removeSelfEntry } from "./self-entries";
import { revokeEmergencyConsent, setEmergencyConsent } from "./set-emergency-consent";
import { rejectionCode } from "../../../test/rejection-code";

const code = (p: Promise<unknown>) => rejectionCode(p, { zod: true });

const REASON = { reasonCategory: "UNCONSCIOUS", reasonText: "路上で倒れ意識なし、呼びかけに反応なし" };

describe("emergency medical history: consent per audience, tap + PIN, break-glass", () => {
  const db = useTestDatabase();
  let world: TPlatformWorld;

  beforeAll(async () => {
    world = await startPlatformWorld();
  });
  afterAll(async () => {
    await world?.close();
  });

  /** A partner with the scopes, and one enrolled kiosk of `mode`. */
  async function kiosk(prisma: PrismaClient, mode: TTerminalMode, scopes: string[], label = `${mode}-1`) {
    const partner = await seedPartner(prisma, {
      slug: `e-${mode.toLowerCase()}-${Math.random().toString(36).slice(2, 8)}`,
      name: mode === "AMBULANCE" ? "一枚町消防本部" : "一枚町立病院",
      nameEn: mode === "AMBULANCE" ? "Ichimai Fire Department" : "Ichimai Town Hospital",
      kind: mode === "AMBULANCE" ? "GOVERNMENT" : "HOSPITAL",
      approvedScopes: scopes,
    });
    return { partner, device: await enrolledKiosk(prisma, { partner: partner.id, label, mode }) };
  }

  /** A resident with a bound card and a medical summary signed by a hospital. */
  async function patient(prisma: PrismaClient) {
    const { resident, card } = await world.resident(prisma);
    const ca = await createTestPartnerCa();
    const hospital = await seedPartner(prisma, {
      slug: `doc-hosp-${resident.registryNumber}`,
      name: "一枚町立病院",
      nameEn: "Ichimai Town Hospital",
      kind: "HOSPITAL",
      approvedScopes: ["documents:deliver"],
    });
    const signer = await issueOrgSigner(ca, hospital);
    await linkPartner(prisma, {
      residentId: resident.id,
      partnerId: hospital.id,
      partnerRef: `P-${resident.registryNumber}`,
    });
    const name = `${resident.familyName} ${resident.givenName}`;
    for (const [type, payload] of [
      ["medical-summary", { ...EXAMPLE_PAYLOADS["medical-summary"], patientName: name }],
      ["checkup-result", { ...EXAMPLE_PAYLOADS["checkup-result"], patientName: name }],
    ] as const) {
      await deliverDocument(prisma, {
        partnerId: hospital.id,
        trustAnchors: [ca.certificate],
        request: {
          type,
          recipient: { partnerRef: `P-${resident.registryNumber}` },
          payload,
          signature: await signPayload(signer, payload),
        },
      });
    }
    return { resident, card };
  }

  async function tapRead(
    ctx: TPlatformContext,
    device: Awaited<ReturnType<typeof kiosk>>["device"],
    auth: Parameters<typeof makeToken>[0],
  ) {
    const c = await startTerminalTap(ctx, { device });
    return readEmergencyHistory(ctx, {
      device,
      terminalBinding: c.terminalBinding,
      request: { nonce: c.nonce, token: await makeToken(auth, c.nonce, PORTAL) },
    });
  }

  it("[EMERGENCY][CONSENT]: a tap with the PIN reads exactly the consented parts of the consented audience; withdrawal stops it", async () => {
    const { prisma } = db();
    const ctx = world.context(prisma);
    const { resident, card } = await patient(prisma);
    const ambulance = await kiosk(prisma, "AMBULANCE", ["eligibility:verify", "emergency:read"]);
    const hospital = await kiosk(prisma, "HOSPITAL", ["eligibility:verify", "emergency:read"]);
    await addSelfEntry(prisma, {
      residentId: resident.id,
      channel: "pc",
      input: { kind: "ALLERGY", text: "そば", detail: "じんましん" },
    });
    await addSelfEntry(prisma, {
      residentId: resident.id,
      channel: "pc",
      input: { kind: "CONTACT", text: "阿波 次郎", detail: "兄 090-0000-0000" },
    });

    // Nothing chosen yet: no read.
    expect(await code(tapRead(ctx, ambulance.device, card.auth))).toBe("EMERGENCY_CONSENT_MISSING");

    await setEmergencyConsent(prisma, {
      residentId: resident.id,
      channel: "pc",
      input: { audience: "AMBULANCE", parts: ["MEDICATION", "ALLERGIES"], breakGlass: true },
    });
    const read = await tapRead(ctx, ambulance.device, card.auth);
    expect(read.access.mode).toBe("consent");
    expect(read.parts).toEqual(["ALLERGIES", "MEDICATION"]);
    // Allergies first: the hospital's severe one, then the resident's own, marked self-reported.
    expect(read.allergies?.map((a) => [a.text, a.source.kind, a.severe])).toEqual([
      ["ペニシリン系抗菌薬", "signed", true],
      ["そば", "self", false],
    ]);
    expect(read.allergies?.[0]?.source).toMatchObject({
      kind: "signed",
      issuer: "一枚町立病院",
      issuedOn: "2026-11-19",
    });
    expect(read.medications?.map((m) => m.text)).toEqual(["モンテルカスト錠10mg"]);
    expect(read).not.toHaveProperty("conditions");
    expect(read).not.toHaveProperty("checkups");
    expect(read).not.toHaveProperty("contacts");
    expect(read.patient.name).toBe(`${resident.familyName}\u3000${resident.givenName}`);

    // Another hospital has no consent of its own.
    expect(await code(tapRead(ctx, hospital.device, card.auth))).toBe("EMERGENCY_CONSENT_MISSING");

    const audit = await prisma.auditEvent.findFirstOrThrow({
      where: { subjectResidentId: resident.id, type: "emergency.record_read" },
    });
    expect(audit).toMatchObject({ actorType: "partner", actorId: ambulance.partner.id, channel: "terminal" });
    expect(audit.data).toMatchObject({
      audience: "AMBULANCE",
      parts: ["ALLERGIES", "MEDICATION"],
      terminalDeviceId: ambulance.device.id,
    });
    const consents = await prisma.auditEvent.count({
      where: { subjectResidentId: resident.id, type: "consent.given", purpose: "救急隊による救急医療情報の閲覧" },
    });
    expect(consents).toBe(1);

    // Withdrawn: the next tap reads nothing and writes no read event.
    await revokeEmergencyConsent(prisma, { residentId: resident.id, channel: "pc", audience: "AMBULANCE" });
    expect(await code(tapRead(ctx, ambulance.device, card.auth))).toBe("EMERGENCY_CONSENT_MISSING");
    expect(
      await prisma.auditEvent.count({ where: { subjectResidentId: resident.id, type: "emergency.record_read" } }),
    ).toBe(1);
    expect((await getEmergencySettings(prisma, { residentId: resident.id })).consents).toEqual([
      { audience: "AMBULANCE", active: null },
      { audience: "HOSPITAL", active: null },
    ]);
    const entries = (await getEmergencySettings(prisma, { residentId: resident.id })).entries;
    await removeSelfEntry(prisma, { residentId: resident.id, channel: "pc", entryId: entries[0]!.id });
    expect(
      await code(removeSelfEntry(prisma, { residentId: resident.id, channel: "pc", entryId: entries[0]!.id })),
    ).toBe("NOT_FOUND");
    expect(
      await code(
        addSelfEntry(prisma, { residentId: resident.id, channel: "pc", input: { kind: "ALLERGY", text: "a\u0000b" } }),
      ),
    ).toBe("VALIDATION_FAILED");
  });

  it("[EMERGENCY][SCOPE]: a bus reader, a partner without emergency:read, or a revoked card read nothing", async () => {
    const { prisma } = db();
    const ctx = world.context(prisma);
    const { resident, card } = await patient(prisma);
    await setEmergencyConsent(prisma, {
      residentId: resident.id,
      channel: "pc",
      input: { audience: "AMBULANCE", parts: ["ALLERGIES"], breakGlass: true },
    });
    const noScope = await kiosk(prisma, "AMBULANCE", ["eligibility:verify"]);
    expect(await code(tapRead(ctx, noScope.device, card.auth))).toBe("EMERGENCY_SCOPE_MISSING");
    const cert = Buffer.from(card.auth.certificate).toString("base64");
    expect(await code(openBreakGlass(ctx, { device: noScope.device, request: { certificate: cert, ...REASON } }))).toBe(
      "EMERGENCY_SCOPE_MISSING",
    );
    const bus = await kiosk(prisma, "BUS", ["eligibility:verify", "emergency:read"]);
    expect(await code(openBreakGlass(ctx, { device: bus.device, request: { certificate: cert, ...REASON } }))).toBe(
      "EMERGENCY_SCOPE_MISSING",
    );

    const ambulance = await kiosk(prisma, "AMBULANCE", ["eligibility:verify", "emergency:read"]);
    // A card nobody bound.
    const stranger = await world.resident(prisma, { bindAuth: false });
    expect(
      await code(
        openBreakGlass(ctx, {
          device: ambulance.device,
          request: { certificate: Buffer.from(stranger.card.auth.certificate).toString("base64"), ...REASON },
        }),
      ),
    ).toBe("EMERGENCY_CARD_UNKNOWN");
    // Reported lost: revoked at J-LIS, both paths refused.
    await world.jlis.revoke({ serialHex: card.auth.serial, reason: "keyCompromise" });
    expect(
      await code(openBreakGlass(ctx, { device: ambulance.device, request: { certificate: cert, ...REASON } })),
    ).toBe("CERT_REVOKED");
    expect(await code(tapRead(ctx, ambulance.device, card.auth))).toBe("CERT_REVOKED");
    expect(await prisma.breakGlassAccess.count({ where: { residentId: resident.id } })).toBe(0);
    expect(
      await prisma.auditEvent.count({
        where: { subjectResidentId: resident.id, type: { in: ["emergency.break_glass", "emergency.record_read"] } },
      }),
    ).toBe(0);
  });

  it("[EMERGENCY][BREAK_GLASS]: reason required; 30 minutes for that terminal; family notified; access log marked; refusal honoured", async () => {
    const { prisma } = db();
    const ctx = world.context(prisma);
    const { resident, card } = await patient(prisma);
    // Family: an adult of the household, a child of the household (not told), and a proxy elsewhere.
    const spouse = await seedResident(prisma, {
      householdId: resident.householdId,
      householdRelation: "妻",
      email: "spouse@example.test",
    });
    const child = await seedResident(prisma, {
      householdId: resident.householdId,
      householdRelation: "子",
      dateOfBirth: new Date(Date.UTC(new Date().getUTCFullYear() - 8, 0, 1)),
    });
    const proxy = await seedResident(prisma);
    await prisma.proxyGrant.create({
      data: {
        principalId: resident.id,
        proxyId: proxy.id,
        access: "READ",
        domains: ["health"],
        endsAt: new Date(Date.now() + 86_400_000),
      },
    });
    const ambulance = await kiosk(prisma, "AMBULANCE", ["eligibility:verify", "emergency:read"], "救急1");
    const other = await kiosk(prisma, "AMBULANCE", ["eligibility:verify", "emergency:read"], "救急2");
    const cert = Buffer.from(card.auth.certificate).toString("base64");

    // No reason, a reason without text, an unknown category: refused before anything is read.
    for (const bad of [
      {},
      { reasonCategory: "UNCONSCIOUS" },
      { reasonCategory: "UNCONSCIOUS", reasonText: "  " },
      { reasonCategory: "BORED", reasonText: "見てみたかった" },
    ]) {
      expect(
        await code(openBreakGlass(ctx, { device: ambulance.device, request: { certificate: cert, ...bad } })),
      ).toBe("EMERGENCY_REASON_REQUIRED");
    }
    expect(await prisma.breakGlassAccess.count()).toBe(0);

    // No choice made: the vital parts (not the check-ups).
    const opened = await openBreakGlass(ctx, { device: ambulance.device, request: { certificate: cert, ...REASON } });
    expect(opened.access).toMatchObject({ mode: "break_glass", reasonCategory: "UNCONSCIOUS" });
    expect(opened.parts).toEqual(["ALLERGIES", "MEDICATION", "CONDITIONS", "CONTACTS"]);
    expect(opened.medications?.map((m) => m.text)).toEqual(["モンテルカスト錠10mg"]);
    expect(opened).not.toHaveProperty("checkups");
    const row = await prisma.breakGlassAccess.findUniqueOrThrow({
      where: { id: opened.access.mode === "break_glass" ? opened.access.accessId : "" },
    });
    expect(row).toMatchObject({
      residentId: resident.id,
      terminalDeviceId: ambulance.device.id,
      reasonText: REASON.reasonText,
    });
    expect(row.expiresAt.getTime() - row.grantedAt.getTime()).toBe(BREAK_GLASS_TTL_MS);
    expect(JSON.stringify(row)).not.toContain(opened.accessToken);

    // Marked in the resident's access log, with a distinct type and the reason category.
    const log = await listAccessLog(prisma, { residentId: resident.id });
    const line = log.items.find((i) => i.type === "emergency.break_glass");
    expect(line).toMatchObject({ actor: { type: "partner", label: "一枚町消防本部" }, channel: "terminal" });
    expect(line?.purpose).toContain("意識がない");
    const event = await prisma.auditEvent.findFirstOrThrow({
      where: { subjectResidentId: resident.id, type: "emergency.break_glass" },
    });
    expect(event.data).toMatchObject({
      breakGlass: true,
      read: "opened",
      terminal: "救急1",
      reasonCategory: "UNCONSCIOUS",
    });
    expect(JSON.stringify(event.data)).not.toContain(REASON.reasonText);

    // Notices and e-mails: the resident, the adult spouse and the proxy; not the child.
    const notices = await prisma.residentNotice.findMany({ where: { kind: "emergency_break_glass" } });
    expect(notices.map((n) => n.residentId).sort()).toEqual([resident.id, spouse.id, proxy.id].sort());
    expect(notices.find((n) => n.residentId === spouse.id)?.title).toContain(resident.familyName);
    const mails = await prisma.notificationOutbox.findMany({ where: { kind: "emergency_access" } });
    expect(mails.map((m) => [m.residentId, m.proxyAction]).sort()).toEqual(
      [
        [resident.id, "self"],
        [spouse.id, "family"],
        [proxy.id, "family"],
      ].sort(),
    );
    expect(mails.some((m) => m.residentId === child.id)).toBe(false);
    const mail = composeEmergencyAccessNotification({
      readerName: "一枚町消防本部",
      readerNameEn: "Ichimai Fire Department",
      recipient: "family",
      portalOrigin: PORTAL,
    });
    expect(mail.subject).toContain("ご家族");
    expect(mail.text).not.toContain("ペニシリン");
    // The outbox sends the family mail (the spouse has an address): the reader, never the history.
    const sent: { to: string; subject: string; text: string }[] = [];
    const transport = {
      sendMail: async (m: { to: string; subject: string; text: string }) => {
        sent.push(m);
        return {};
      },
    } as unknown as Parameters<typeof processNotificationOutbox>[1]["transport"];
    await processNotificationOutbox(prisma, { transport, from: "ichimai@example.test", portalOrigin: PORTAL });
    const toSpouse = sent.find((m) => m.to === "spouse@example.test");
    expect(toSpouse?.subject).toBe("【ichimai】一枚町消防本部がご家族の救急医療情報を緊急閲覧しました");
    expect(toSpouse?.text).not.toContain(resident.familyName);
    expect(toSpouse?.text).not.toContain("モンテルカスト");

    // Within the window: this terminal may read again; another terminal may not.
    const again = await readBreakGlass(ctx, { device: ambulance.device, request: { accessToken: opened.accessToken } });
    expect(again.allergies?.[0]?.text).toBe("ペニシリン系抗菌薬");
    expect(
      await code(readBreakGlass(ctx, { device: other.device, request: { accessToken: opened.accessToken } })),
    ).toBe("EMERGENCY_BREAK_GLASS_EXPIRED");
    // After 30 minutes: over.
    const later = { ...ctx, now: () => new Date(Date.now() + BREAK_GLASS_TTL_MS + 1000) };
    expect(
      await code(readBreakGlass(later, { device: ambulance.device, request: { accessToken: opened.accessToken } })),
    ).toBe("EMERGENCY_BREAK_GLASS_EXPIRED");
    expect(
      await prisma.auditEvent.count({ where: { subjectResidentId: resident.id, type: "emergency.break_glass" } }),
    ).toBe(2);

    // The resident chooses: only allergies, and then no break-glass at all.
    await setEmergencyConsent(prisma, {
      residentId: resident.id,
      channel: "pc",
      input: { audience: "AMBULANCE", parts: ["ALLERGIES"], breakGlass: true },
    });
    expect(
      (await readBreakGlass(ctx, { device: ambulance.device, request: { accessToken: opened.accessToken } })).parts,
    ).toEqual(["ALLERGIES"]);
    await setEmergencyConsent(prisma, {
      residentId: resident.id,
      channel: "pc",
      input: { audience: "AMBULANCE", parts: ["ALLERGIES"], breakGlass: false },
    });
    expect(
      await code(readBreakGlass(ctx, { device: ambulance.device, request: { accessToken: opened.accessToken } })),
    ).toBe("EMERGENCY_BREAK_GLASS_REFUSED");
    expect(
      await code(openBreakGlass(ctx, { device: ambulance.device, request: { certificate: cert, ...REASON } })),
    ).toBe("EMERGENCY_BREAK_GLASS_REFUSED");
    expect(await prisma.breakGlassAccess.count({ where: { residentId: resident.id } })).toBe(1);

    // Staff review: the reason text, and the look itself is audited.
    const staff = await seedResident(prisma);
    const review = await listBreakGlassAccesses(prisma, { staffId: staff.id });
    expect(review[0]).toMatchObject({
      terminal: "救急1",
      reads: 3,
      reason: { category: "UNCONSCIOUS", text: REASON.reasonText },
    });
    expect(
      await prisma.auditEvent.count({
        where: { subjectResidentId: resident.id, type: "staff.access", actorId: staff.id },
      }),
    ).toBe(1);
    // The resident's own page lists it.
    expect((await getEmergencySettings(prisma, { residentId: resident.id })).breakGlass).toHaveLength(1);
  });
});
