import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedResident, seedStaffMember } from "../../../prisma/seed/factories";
import { useTestDatabase } from "../../../test/db";
import { signApplication, startPlatformWorld, type TPlatformWorld } from "../../../test/platform/platform-world";
import { rejectionCode as codeOf } from "../../../test/rejection-code";
import { listAccessLog } from "../../audit/list-access-log";
import { verifyAuditChain } from "../../audit/verify-audit-chain";
import type { PrismaClient } from "../../db/client";
import { checkRevocationAtJlis } from "../../jlis/revocation";
import { createLinkRequest } from "../../links/partner-link-requests";
import { getIdentityVerificationOrThrow } from "../../platform/identity/get-identity-verification";
import { createWatch } from "../../platform/change/create-watch";
import { runChangeCheckCycle } from "../../platform/change/run-change-check-cycle";
import { verifyIdentity } from "../../platform/identity/verify-identity";
import { liftResidentProtection, setResidentProtection } from "../../protection/protection";
import { requireProxyAuthorityOrThrow } from "../../proxies/authorize-proxy";
import { grantProxy } from "../../proxies/grant-proxy";
import { openResidentRecord } from "./open-resident-record";
import { recordRegistryEvent, registerMoveIn } from "./registry-events";
import type { TResidentsContext } from "./residents-context";
import { searchResidents } from "./search-residents";

describe("staff console: residents, registry events and protected persons", () => {
  const db = useTestDatabase();
  let world: TPlatformWorld;

  beforeAll(async () => {
    world = await startPlatformWorld();
  });
  afterAll(() => world?.close());

  async function setup(prisma: PrismaClient) {
    const ctx: TResidentsContext = { prisma, jlis: world.context(prisma).jlis };
    const clerkRow = await seedStaffMember(prisma, { roles: ["CLERK"] });
    const supervisorRow = await seedStaffMember(prisma, { roles: ["SUPERVISOR"] });
    const clerk = { staffId: clerkRow.id, roles: clerkRow.roles };
    const supervisor = { staffId: supervisorRow.id, roles: supervisorRow.roles };
    const { resident, card } = await world.resident(prisma);
    return { ctx, clerk, supervisor, resident, card };
  }

  /** The certificate's status through the real path: OCSP of the simulated J-LIS, then its CRL without OCSP. */
  async function statusOf(ctx: TResidentsContext, cred: { certificate: Uint8Array; caCertificate: Uint8Array }) {
    const q = { certificate: cred.certificate, issuer: cred.caCertificate, now: new Date() };
    const ocsp = await checkRevocationAtJlis(ctx.jlis, q);
    const jlisCrl = world.context(ctx.prisma).jlis;
    const crlOnly = await checkRevocationAtJlis(
      {
        ...jlisCrl,
        ocspStatusBySerial: async () => {
          throw new Error("no OCSP");
        },
        fetch: ((input: RequestInfo | URL, init?: RequestInit) =>
          String(input instanceof Request ? input.url : input).includes("/ocsp")
            ? Promise.reject(new TypeError("fetch failed"))
            : jlisCrl.fetch(input, init)) as typeof fetch,
      },
      q,
    );
    return { ocsp: ocsp.status, ocspSource: ocsp.source, crl: crlOnly.status, crlSource: crlOnly.source };
  }

  it("[STAFF][PURPOSE]: search shows minimal data; opening a record needs a purpose, writes staff.access with it, and the resident's access log shows it", async () => {
    const { prisma } = db();
    const { clerk, resident } = await setup(prisma);
    const other = await seedResident(prisma, { familyName: "別府", givenName: "花子" });
    const page = await searchResidents(prisma, {
      staff: clerk,
      query: { name: `${resident.familyName} ${resident.givenName}` },
    });
    expect(page.items.map((i) => i.id)).toContain(resident.id);
    expect(page.items.map((i) => i.id)).not.toContain(other.id);
    expect(Object.keys(page.items[0]!).sort()).toEqual(
      ["birthYear", "districtName", "id", "left", "name", "nameKana", "registryNumber"].sort(),
    );
    expect(
      (await searchResidents(prisma, { staff: clerk, query: { registryNumber: resident.registryNumber } })).items,
    ).toHaveLength(1);
    expect(await codeOf(searchResidents(prisma, { staff: clerk, query: {} }))).toBe("VALIDATION_FAILED");
    expect(
      await codeOf(
        searchResidents(prisma, { staff: { staffId: clerk.staffId, roles: ["AUDITOR"] }, query: { name: "x" } }),
      ),
    ).toBe("FORBIDDEN");

    const before = await prisma.auditEvent.count();
    for (const purpose of [
      undefined,
      {},
      { purpose: "OTHER" },
      { purpose: "OTHER", purposeText: "  " },
      { purpose: "NOPE" },
    ]) {
      expect(await codeOf(openResidentRecord(prisma, { staff: clerk, residentId: resident.id, purpose }))).toBe(
        "STAFF_PURPOSE_REQUIRED",
      );
    }
    expect(
      await codeOf(
        openResidentRecord(prisma, {
          staff: clerk,
          residentId: resident.id,
          purpose: { purpose: "OTHER", purposeText: "a\u0000b" },
        }),
      ),
    ).toBe("TEXT_CHARACTER_FORBIDDEN");
    expect(await prisma.auditEvent.count()).toBe(before);

    const record = await openResidentRecord(prisma, {
      staff: clerk,
      residentId: resident.id,
      purpose: { purpose: "CERTIFICATE_ISSUANCE", purposeText: "窓口での住民票の写しの請求" },
    });
    expect(record).toMatchObject({ id: resident.id, address: resident.address, protection: null });
    expect(record.purpose).toBe("証明書の交付：窓口での住民票の写しの請求");
    const log = await listAccessLog(prisma, { residentId: resident.id });
    expect(log.items[0]).toMatchObject({
      type: "staff.access",
      actor: { type: "staff" },
      purpose: "証明書の交付：窓口での住民票の写しの請求",
      channel: "console",
    });
    // The purpose holds for one view: the next opening states (and logs) its own.
    await openResidentRecord(prisma, { staff: clerk, residentId: resident.id, purpose: { purpose: "TAX" } });
    const again = await listAccessLog(prisma, { residentId: resident.id });
    expect(again.items.filter((i) => i.type === "staff.access").map((i) => i.purpose)).toEqual([
      "税務",
      "証明書の交付：窓口での住民票の写しの請求",
    ]);
    expect((await verifyAuditChain(prisma)).ok).toBe(true);
  });

  it("[REGISTRY][MOVE_OUT]: leftAt, and the signing certificate shows revoked at J-LIS by OCSP and by CRL; the auth certificate stays good", async () => {
    const { prisma } = db();
    const { ctx, clerk, resident, card } = await setup(prisma);
    expect(await statusOf(ctx, card.sign!)).toMatchObject({ ocsp: "good", crl: "good" });
    const result = await recordRegistryEvent(ctx, {
      staff: clerk,
      residentId: resident.id,
      input: { kind: "move_out", reason: "転出届（大阪市へ）", date: "2026-12-01" },
    });
    expect(result.revoked).toEqual([{ serialHex: card.sign!.serial, purpose: "sign", reason: "affiliationChanged" }]);
    expect(await statusOf(ctx, card.sign!)).toMatchObject({
      ocsp: "revoked",
      ocspSource: "ocsp",
      crl: "revoked",
      crlSource: "crl",
    });
    expect(
      (
        await checkRevocationAtJlis(ctx.jlis, {
          certificate: card.auth.certificate,
          issuer: card.auth.caCertificate,
          now: new Date(),
        })
      ).status,
    ).toBe("good");
    const row = await prisma.resident.findUniqueOrThrow({ where: { id: resident.id } });
    expect(row.leftReason).toBe("転出");
    expect(row.leftAt?.toISOString()).toBe("2026-11-30T15:00:00.000Z");
    const event = await prisma.auditEvent.findFirstOrThrow({
      where: { type: "resident.registry_event", subjectResidentId: resident.id },
    });
    expect(event).toMatchObject({ actorType: "staff", actorId: clerk.staffId, purpose: "転出届の受理" });
    expect(event.data).toMatchObject({ event: "move_out", reason: "転出届（大阪市へ）" });
    // A second event on a resident who left is refused; nothing more is written.
    expect(
      await codeOf(
        recordRegistryEvent(ctx, { staff: clerk, residentId: resident.id, input: { kind: "card_lost", reason: "x" } }),
      ),
    ).toBe("REGISTRY_EVENT_NOT_APPLICABLE");
  });

  it("[REGISTRY][DEATH]: a supervisor's event; a clerk is refused; both certificates revoked at J-LIS", async () => {
    const { prisma } = db();
    const { ctx, clerk, supervisor, resident, card } = await setup(prisma);
    const input = { kind: "death", reason: "死亡届", date: "2026-12-02" };
    expect(await codeOf(recordRegistryEvent(ctx, { staff: clerk, residentId: resident.id, input }))).toBe("FORBIDDEN");
    expect(world.jlis.status(card.sign!.serial).status).toBe("good");
    const result = await recordRegistryEvent(ctx, { staff: supervisor, residentId: resident.id, input });
    expect(result.revoked.map((r) => `${r.purpose}:${r.reason}`).sort()).toEqual([
      "auth:cessationOfOperation",
      "sign:affiliationChanged",
    ]);
    expect((await statusOf(ctx, card.sign!)).ocsp).toBe("revoked");
    expect((await statusOf(ctx, card.auth)).crl).toBe("revoked");
    expect((await prisma.resident.findUniqueOrThrow({ where: { id: resident.id } })).leftReason).toBe("死亡");
  });

  it("[CARD][REVOKE]: revoking a working card is a supervisor's; both certificates revoked cessationOfOperation at J-LIS; a repeat revokes nothing more", async () => {
    const { prisma } = db();
    const { ctx, clerk, supervisor, resident, card } = await setup(prisma);
    const input = { kind: "card_revoked", reason: "カードの返納（本人確認：運転免許証）" };
    expect(await codeOf(recordRegistryEvent(ctx, { staff: clerk, residentId: resident.id, input }))).toBe("FORBIDDEN");
    const result = await recordRegistryEvent(ctx, { staff: supervisor, residentId: resident.id, input });
    expect(result.revoked.map((r) => `${r.purpose}:${r.reason}`).sort()).toEqual([
      "auth:cessationOfOperation",
      "sign:cessationOfOperation",
    ]);
    expect(await statusOf(ctx, card.auth)).toMatchObject({ ocsp: "revoked", crl: "revoked" });
    expect((await recordRegistryEvent(ctx, { staff: supervisor, residentId: resident.id, input })).revoked).toEqual([]);
    expect(
      await prisma.auditEvent.count({ where: { type: "resident.card_event", subjectResidentId: resident.id } }),
    ).toBe(2);
  });

  it("[REGISTRY][NAME]: the name changes; J-LIS revokes the signing certificate affiliationChanged and links a successor carrying the new name", async () => {
    const { prisma } = db();
    const { ctx, clerk, resident, card } = await setup(prisma);
    const input = {
      kind: "change_name",
      reason: "婚姻による氏の変更",
      familyName: "高橋",
      givenName: resident.givenName,
      familyNameKana: "タカハシ",
      givenNameKana: resident.givenNameKana,
    };
    const result = await recordRegistryEvent(ctx, { staff: clerk, residentId: resident.id, input });
    expect(result.revoked).toEqual([{ serialHex: card.sign!.serial, purpose: "sign", reason: "affiliationChanged" }]);
    expect(result.successorSignSerial).toMatch(/^[0-9a-f]+$/);
    expect(await ctx.jlis.successorOf(card.sign!.serial)).toEqual({
      successor: result.successorSignSerial,
      latest: result.successorSignSerial,
    });
    expect(world.jlis.resident(resident.registryNumber)?.facts.name).toBe(`高橋\u3000${resident.givenName}`);
    expect((await statusOf(ctx, card.sign!)).ocsp).toBe("revoked");
    expect(await prisma.resident.findUniqueOrThrow({ where: { id: resident.id } })).toMatchObject({
      familyName: "高橋",
      familyNameKana: "タカハシ",
    });
    // The same name again is not a change.
    expect(await codeOf(recordRegistryEvent(ctx, { staff: clerk, residentId: resident.id, input }))).toBe(
      "REGISTRY_EVENT_NOT_APPLICABLE",
    );
  });

  it("[REGISTRY][CARD_LOST][BIRTH][MOVE_IN]: a lost card revoked keyCompromise (audited as card work); a birth joins the household; a move in makes a new one", async () => {
    const { prisma } = db();
    const { ctx, clerk, resident, card } = await setup(prisma);
    const lost = await recordRegistryEvent(ctx, {
      staff: clerk,
      residentId: resident.id,
      input: { kind: "card_lost", reason: "本人からの紛失の届出（本人確認：運転免許証）" },
    });
    expect(lost.revoked.map((r) => r.reason)).toEqual(["keyCompromise", "keyCompromise"]);
    expect((await statusOf(ctx, card.auth)).ocsp).toBe("revoked");
    expect(
      await prisma.auditEvent.count({ where: { type: "resident.card_event", subjectResidentId: resident.id } }),
    ).toBe(1);

    const child = {
      familyName: resident.familyName,
      givenName: "陽菜",
      familyNameKana: resident.familyNameKana,
      givenNameKana: "ヒナ",
      dateOfBirth: "2026-12-03",
      gender: "FEMALE",
      householdRelation: "子",
    };
    const birth = await recordRegistryEvent(ctx, {
      staff: clerk,
      residentId: resident.id,
      input: { kind: "birth", reason: "出生届", child },
    });
    const born = await prisma.resident.findUniqueOrThrow({ where: { id: birth.newResidentId! } });
    expect(born).toMatchObject({ householdId: resident.householdId, address: resident.address, givenName: "陽菜" });
    expect(born.registryNumber).not.toBe(resident.registryNumber);
    expect(world.jlis.resident(born.registryNumber)).toBeUndefined();

    const district = await prisma.district.findUniqueOrThrow({ where: { id: resident.districtId } });
    const moved = await registerMoveIn(ctx, {
      staff: clerk,
      input: {
        reason: "転入届",
        person: {
          ...child,
          givenName: "蓮",
          givenNameKana: "レン",
          dateOfBirth: "1990-04-01",
          gender: "MALE",
          householdRelation: "世帯主",
        },
        address: "徳島県一枚町本町三丁目3番3号",
        postalCode: "779-3900",
        districtCode: district.code,
      },
    });
    const newcomer = await prisma.resident.findUniqueOrThrow({ where: { id: moved.newResidentId! } });
    expect(newcomer.householdId).not.toBe(resident.householdId);
    expect(
      await prisma.auditEvent.count({ where: { type: "resident.registry_event", subjectResidentId: newcomer.id } }),
    ).toBe(1);
  });

  it("[PROTECTION]: a protected person's proxies stop, partners' link requests are refused as 'no resident', identity verifications disclose no facts; only a supervisor lifts it", async () => {
    const { prisma } = db();
    const { clerk, supervisor, resident, card } = await setup(prisma);
    const platform = world.context(prisma);
    const proxy = await seedResident(prisma, {});
    const { grantId } = await grantProxy(prisma, {
      principalId: resident.id,
      input: {
        registryNumber: proxy.registryNumber,
        dateOfBirth: proxy.dateOfBirth.toISOString().slice(0, 10),
        access: "READ",
        domains: ["notice"],
        endsOn: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
      },
      channel: "pc",
    });
    const authority = () =>
      prisma.$transaction((tx) =>
        requireProxyAuthorityOrThrow(tx, { proxyId: proxy.id, principalId: resident.id, now: new Date() }),
      );
    expect((await authority()).grantId).toBe(grantId);
    const partner = await world.partner(prisma, { scopes: ["identity:verify", "identity:facts"] });
    await prisma.partner.update({
      where: { id: partner.partnerId },
      data: { approvedScopes: { push: "links:write" } },
    });
    const verifyOnce = async () =>
      verifyIdentity(platform, {
        partner,
        request: { ...(await signApplication(card.sign!, { apply: "口座開設" })), purpose: "口座開設の本人確認" },
      });
    const before = await verifyOnce();
    expect(before.facts?.address).toBe(resident.address);

    const input = { kind: "DOMESTIC_VIOLENCE", reason: "配偶者からの暴力（相談記録 2026-117）" };
    expect(
      await codeOf(
        setResidentProtection(prisma, {
          staff: { staffId: clerk.staffId, roles: ["AUDITOR"] },
          residentId: resident.id,
          input,
        }),
      ),
    ).toBe("FORBIDDEN");
    await setResidentProtection(prisma, { staff: clerk, residentId: resident.id, input });
    expect(await codeOf(setResidentProtection(prisma, { staff: clerk, residentId: resident.id, input }))).toBe(
      "PROTECTION_ALREADY_SET",
    );

    // Proxies: the existing grant stops, no new one can be made.
    expect(await codeOf(authority())).toBe("PROXY_NOT_AUTHORIZED");
    expect(
      await codeOf(
        grantProxy(prisma, {
          principalId: resident.id,
          input: {
            registryNumber: proxy.registryNumber,
            dateOfBirth: proxy.dateOfBirth.toISOString().slice(0, 10),
            access: "READ",
            domains: ["notice"],
            endsOn: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
          },
          channel: "pc",
        }),
      ),
    ).toBe("PROXY_PRINCIPAL_PROTECTED");

    // Address disclosure: a verification (new, and the earlier one read again) carries no facts.
    const during = await verifyOnce();
    expect(during.status).toBe("verified");
    expect(during).not.toHaveProperty("facts");
    expect(await getIdentityVerificationOrThrow(platform, { partner, verificationId: before.id })).not.toHaveProperty(
      "facts",
    );

    // Link requests: refused exactly as a verification that reaches no resident.
    const linkRequest = (verificationId: string) =>
      createLinkRequest(prisma, {
        partner: { partnerId: partner.partnerId, credentialId: partner.credentialId, mode: "LIVE" },
        request: {
          partnerRef: `P-${verificationId.slice(0, 8)}`,
          purposes: ["deliver"],
          purposeText: "通知",
          identityVerificationId: verificationId,
        },
      });
    expect(await codeOf(linkRequest(during.id))).toBe("LINK_VERIFICATION_INVALID");
    expect(await codeOf(linkRequest("00000000-0000-4000-8000-000000000000"))).toBe("LINK_VERIFICATION_INVALID");

    // Only a supervisor lifts it; then everything works again.
    expect(
      await codeOf(
        liftResidentProtection(prisma, { staff: clerk, residentId: resident.id, input: { reason: "終了" } }),
      ),
    ).toBe("FORBIDDEN");
    await liftResidentProtection(prisma, {
      staff: supervisor,
      residentId: resident.id,
      input: { reason: "措置期間の満了" },
    });
    expect(
      await codeOf(
        liftResidentProtection(prisma, { staff: supervisor, residentId: resident.id, input: { reason: "x" } }),
      ),
    ).toBe("PROTECTION_NOT_SET");
    expect((await authority()).grantId).toBe(grantId);
    expect((await verifyOnce()).facts?.address).toBe(resident.address);
    expect((await linkRequest(during.id)).status).toBeDefined();
    const changes = await prisma.auditEvent.findMany({
      where: { type: "resident.protection_changed", subjectResidentId: resident.id },
      orderBy: { seq: "asc" },
    });
    expect(changes.map((c) => [c.actorId, (c.data as { protected: boolean }).protected])).toEqual([
      [clerk.staffId, true],
      [supervisor.staffId, false],
    ]);
  });
  it("[PROTECTION][CHANGE]: a protected person's change of name reaches a watching partner as a revocation without the latest four facts (no new address or name)", async () => {
    const { prisma } = db();
    const { ctx, clerk, resident, card } = await setup(prisma);
    const platform = world.context(prisma);
    await world.jlis.setConsent({ residentRef: resident.registryNumber, consent: true });
    const insurer = await world.partner(prisma, { scopes: ["identity:verify", "identity:facts", "change:watch"] });
    const v = await verifyIdentity(platform, {
      partner: insurer,
      request: { ...(await signApplication(card.sign!, { n: 1 })), purpose: "契約の本人確認" },
    });
    const { watch } = await createWatch(platform, { partner: insurer, request: { verificationId: v.id } });
    await setResidentProtection(prisma, {
      staff: clerk,
      residentId: resident.id,
      input: { kind: "STALKING", reason: "相談記録 2026-201" },
    });
    await recordRegistryEvent(ctx, {
      staff: clerk,
      residentId: resident.id,
      input: {
        kind: "change_name",
        reason: "氏の変更",
        familyName: "新田",
        givenName: resident.givenName,
        familyNameKana: "ニッタ",
        givenNameKana: resident.givenNameKana,
      },
    });
    const cycle = await runChangeCheckCycle(platform);
    const event = await prisma.webhookEvent.findFirstOrThrow({ where: { id: { in: cycle.events } } });
    const data = (event.payload as { data: Record<string, unknown> }).data;
    expect(data).toMatchObject({ watchId: watch.id, reason: "affiliationChanged", residentConsented: true });
    expect(data).not.toHaveProperty("latestFacts");
  });
});
