import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createPartnerRootCa,
  issueOrganizationCertificate,
  type TPartnerCa,
} from "../../../jlis-sim/partner-ca/partner-ca";
import { fourFactsOfResident, DEMO_MUNICIPALITY } from "../../../jlis-sim/demo-cards";
import { generateRsaKeyPair } from "../../../jlis-sim/ca/ca";
import { seedDistrict, seedPartner, seedResident, seedStaffMember } from "../../../prisma/seed/factories";
import { useTestDatabase } from "../../../test/db";
import { cardSign as cardSignBytes } from "../../../test/jpki/card-sign";
import { rejectionCode as codeOf } from "../../../test/rejection-code";
import { startPlatformWorld, type TPlatformWorld } from "../../../test/platform/platform-world";
import { verifyAuditChain } from "../../audit/verify-audit-chain";
import type { PrismaClient } from "../../db/client";
import { AppError } from "../../errors/app-error";
import { buildCades } from "../../jpki/cades";
import { canonicalJsonBytes } from "../../mailbox/canonical-json";
import type { TApplicationsContext } from "./applications-context";
import { approveApplication } from "./approve-application";
import { listMyApplications } from "./list-my-applications";
import { prepareApplication } from "./prepare-application";
import { getApplicationForReview, listApplicationQueue, returnApplication } from "./review-applications";
import { submitApplication } from "./submit-application";
import { startPlatformJobs } from "../../jobs/start-platform-jobs";
import { verifyIdentity } from "../../platform/identity/verify-identity";
import { createWatch } from "../../platform/change/create-watch";
import { createWebhookEndpoint } from "../../platform/webhooks/create-webhook-endpoint";
import { signApplication } from "../../../test/platform/platform-world";
import { startWebhookReceiver } from "../../../test/platform/webhook-receiver";

const RS256 = { name: "RSASSA-PKCS1-v1_5" } as const;

/** The card signs the canonical JSON bytes of an application, as the form does. */
const cardSign = (sign: Parameters<typeof cardSignBytes>[0], content: unknown) =>
  cardSignBytes(sign, canonicalJsonBytes(content));

describe("administrative applications signed with the card (転居届, 住民票の写し)", () => {
  const db = useTestDatabase();
  let world: TPlatformWorld;
  let partnerCa: TPartnerCa;

  beforeAll(async () => {
    world = await startPlatformWorld();
    const now = Date.now();
    partnerCa = await createPartnerRootCa({
      notBefore: new Date(now - 86_400_000),
      notAfter: new Date(now + 86_400_000 * 365),
    });
  });
  afterAll(() => world?.close());

  async function setup(prisma: PrismaClient) {
    const platform = world.context(prisma);
    const town = await seedPartner(prisma, { slug: "ichimai-town", name: "一枚町役場", kind: "GOVERNMENT" });
    const keys = await generateRsaKeyPair();
    const certificate = await issueOrganizationCertificate({
      ca: partnerCa,
      subjectPublicKey: keys.publicKey,
      serialNumber: BigInt(Date.now()),
      organizationName: town.name,
      partnerSlug: town.slug,
      notBefore: new Date(Date.now() - 3_600_000),
      notAfter: new Date(Date.now() + 86_400_000),
    });
    const ctx: TApplicationsContext = {
      prisma,
      signTrustAnchors: platform.signTrustAnchors,
      jlis: platform.jlis,
      issuerTrustAnchors: async () => [partnerCa.certificate],
      townSigner: async () => ({
        partnerSlug: town.slug,
        municipality: "徳島県一枚町",
        certificate,
        privateKey: keys.privateKey,
      }),
    };
    const { resident, card } = await world.resident(prisma);
    // A second member of the household, with a card of their own.
    const spouse = await seedResident(prisma, { householdId: resident.householdId, householdRelation: "妻" });
    const spouseCard = await world.jlis.issueCard({
      residentRef: spouse.registryNumber,
      facts: fourFactsOfResident(spouse),
      municipality: DEMO_MUNICIPALITY,
    });
    const newDistrict = await seedDistrict(prisma, { name: "栄町" });
    const clerk = await seedStaffMember(prisma, { roles: ["CLERK"] });
    const staff = { staffId: clerk.id, roles: clerk.roles };
    const moveForm = {
      newAddress: `徳島県一枚町${newDistrict.name}二丁目２番３号`,
      postalCode: "779-3901",
      districtCode: newDistrict.code,
      moveDate: "2026-12-01",
      movers: [resident.registryNumber, spouse.registryNumber],
    };
    return { ctx, town, resident, card, spouse, spouseCard, newDistrict, staff, moveForm };
  }

  it("a move: signed in the browser's form, verified, returned with a reason, corrected and re-signed, approved: the registry moves and J-LIS revokes and links the signing certificate", async () => {
    const { prisma } = db();
    const { ctx, resident, card, spouse, newDistrict, staff, moveForm } = await setup(prisma);
    const now = new Date();

    // A wrong district is refused before anything is signed.
    expect(
      await codeOf(
        prepareApplication(prisma, {
          residentId: resident.id,
          draft: { kind: "move", form: { ...moveForm, newAddress: "徳島県別町栄町一丁目1番地" } },
          now,
        }),
      ),
    ).toBe("VALIDATION_FAILED");

    const first = await prepareApplication(prisma, {
      residentId: resident.id,
      draft: { kind: "move", form: moveForm },
      now,
    });
    expect(first.canonical).toBe(new TextDecoder().decode(canonicalJsonBytes(first.content)));
    const submitted = await submitApplication(ctx, {
      residentId: resident.id,
      request: { signedData: await cardSign(card.sign!, first.content) },
    });
    expect(submitted).toMatchObject({ status: "submitted", revision: 1, kind: "move" });

    // The same signature again: stable code, nothing written twice.
    expect(
      await codeOf(
        submitApplication(ctx, {
          residentId: resident.id,
          request: { signedData: await cardSign(card.sign!, first.content) },
        }),
      ),
    ).toBe("APPLICATION_ALREADY_SUBMITTED");

    // Staff see it in the queue and open it: signature valid, certificate good, facts match the registry.
    expect((await listApplicationQueue(prisma, { staff })).map((q) => q.id)).toEqual([submitted.id]);
    const review = await getApplicationForReview(prisma, { staff, applicationId: submitted.id });
    expect(review.verification).toMatchObject({
      signatureValid: true,
      revocation: { status: "good" },
      boundBy: "jlis-link",
    });
    expect(review.facts.every((f) => !f.differs)).toBe(true);
    expect(review.people.map((p) => p.inHousehold)).toEqual([true, true]);
    // The staff read shows in the resident's access log.
    expect(
      await prisma.auditEvent.count({
        where: { subjectResidentId: resident.id, type: "staff.access", actorType: "staff" },
      }),
    ).toBe(2);

    // Returned with a reason; approving a returned application is refused.
    const returned = await returnApplication(prisma, {
      staff,
      applicationId: submitted.id,
      reason: "転居日をご確認ください",
    });
    expect(returned).toMatchObject({ status: "returned", returnReason: "転居日をご確認ください" });
    expect(await codeOf(approveApplication(ctx, { staff, applicationId: submitted.id }))).toBe(
      "APPLICATION_ALREADY_DECIDED",
    );
    expect(await codeOf(returnApplication(prisma, { staff, applicationId: submitted.id, reason: "x" }))).toBe(
      "APPLICATION_ALREADY_DECIDED",
    );

    // Corrected and signed again: revision 2 of the same application.
    const second = await prepareApplication(prisma, {
      residentId: resident.id,
      applicationId: submitted.id,
      draft: { kind: "move", form: { ...moveForm, moveDate: "2026-12-02" } },
      now,
    });
    expect(second.content).toMatchObject({ applicationId: submitted.id, revision: 2 });
    const resubmitted = await submitApplication(ctx, {
      residentId: resident.id,
      request: { signedData: await cardSign(card.sign!, second.content) },
    });
    expect(resubmitted).toMatchObject({ id: submitted.id, status: "submitted", revision: 2, returnReason: null });
    // The first revision's signature cannot come back.
    expect(
      await codeOf(
        submitApplication(ctx, {
          residentId: resident.id,
          request: { signedData: await cardSign(card.sign!, first.content) },
        }),
      ),
    ).toBe("APPLICATION_ALREADY_SUBMITTED");

    const approved = await approveApplication(ctx, { staff, applicationId: submitted.id });
    expect(approved).toMatchObject({ status: "approved", fulfilled: true });
    expect(approved.pending).toBeUndefined();
    for (const id of [resident.id, spouse.id]) {
      const r = await prisma.resident.findUniqueOrThrow({ where: { id }, include: { household: true } });
      expect(r).toMatchObject({ address: moveForm.newAddress, postalCode: "779-3901", districtId: newDistrict.id });
      expect(r.household).toMatchObject({ address: moveForm.newAddress, districtId: newDistrict.id });
    }
    // J-LIS: the old signing certificate revoked affiliationChanged, a successor linked, with the new address.
    expect(world.jlis.status(card.sign!.serial)).toMatchObject({ status: "revoked", reason: "affiliationChanged" });
    const successor = world.jlis.successorOf(card.sign!.serial);
    expect(successor.successor).toBeTruthy();
    expect(world.jlis.resident(resident.registryNumber)?.facts.address).toBe(moveForm.newAddress);

    // Approving twice: a stable code, and nothing is reported to J-LIS again.
    expect(await codeOf(approveApplication(ctx, { staff, applicationId: submitted.id }))).toBe(
      "APPLICATION_ALREADY_DECIDED",
    );
    expect(world.jlis.successorOf(card.sign!.serial)).toEqual(successor);

    // The old (now revoked) signing certificate cannot sign a new application.
    const after = await prepareApplication(prisma, {
      residentId: resident.id,
      draft: {
        kind: "residence-certificate",
        form: { subject: resident.registryNumber, scope: "self", copies: 1, purpose: "勤務先への提出" },
      },
      now: new Date(),
    });
    expect(
      await codeOf(
        submitApplication(ctx, {
          residentId: resident.id,
          request: { signedData: await cardSign(card.sign!, after.content) },
        }),
      ),
    ).toBe("CERT_REVOKED");
    expect(
      await prisma.auditEvent.count({ where: { subjectResidentId: resident.id, type: "resident.record_updated" } }),
    ).toBe(1);
    expect((await verifyAuditChain(prisma)).ok).toBe(true);
  });

  it("a 住民票の写し request: approved into a town-signed residence-certificate in the applicant's mailbox, built from the registry now", async () => {
    const { prisma } = db();
    const { ctx, resident, card, spouse, staff } = await setup(prisma);
    const prepared = await prepareApplication(prisma, {
      residentId: resident.id,
      draft: {
        kind: "residence-certificate",
        form: { subject: resident.registryNumber, scope: "household", copies: 2, purpose: "銀行口座の開設" },
      },
      now: new Date(),
    });
    const submitted = await submitApplication(ctx, {
      residentId: resident.id,
      request: { signedData: await cardSign(card.sign!, prepared.content) },
    });
    const approved = await approveApplication(ctx, { staff, applicationId: submitted.id });
    expect(approved).toMatchObject({ status: "approved", fulfilled: true });
    const doc = await prisma.mailboxDocument.findUniqueOrThrow({ where: { id: approved.resultDocumentId! } });
    expect(doc).toMatchObject({ residentId: resident.id, type: "residence-certificate" });
    const payload = doc.payload as {
      address: string;
      municipality: string;
      persons: { name: string }[];
      remarks: string;
    };
    expect(payload.address).toBe(resident.address);
    expect(payload.municipality).toBe("徳島県一枚町");
    expect(payload.persons.map((p) => p.name).sort()).toEqual(
      [`${resident.familyName} ${resident.givenName}`, `${spouse.familyName} ${spouse.givenName}`].sort(),
    );
    expect(payload.remarks).toContain("2通");
    expect((doc.verificationReport as { valid: boolean }).valid).toBe(true);

    const mine = await listMyApplications(prisma, { residentId: resident.id });
    expect(mine.map((a) => [a.id, a.status, a.resultDocumentId])).toEqual([[submitted.id, "approved", doc.id]]);
  });

  it("refuses what is not the resident's, not theirs to name, or not an application — and writes nothing", async () => {
    const { prisma } = db();
    const { ctx, resident, card, spouse, spouseCard } = await setup(prisma);
    const other = await world.resident(prisma);
    const form = { subject: resident.registryNumber, scope: "self" as const, copies: 1, purpose: "確認" };
    const prepared = await prepareApplication(prisma, {
      residentId: resident.id,
      draft: { kind: "residence-certificate", form },
      now: new Date(),
    });

    // Someone else's card (another household) signing the resident's application.
    expect(
      await codeOf(
        submitApplication(ctx, {
          residentId: resident.id,
          request: { signedData: await cardSign(other.card.sign!, prepared.content) },
        }),
      ),
    ).toBe("APPLICATION_SIGNER_MISMATCH");
    // Even the spouse's card, whose auth certificate is not bound at all.
    expect(
      await codeOf(
        submitApplication(ctx, {
          residentId: resident.id,
          request: { signedData: await cardSign(spouseCard.sign!, prepared.content) },
        }),
      ),
    ).toBe("APPLICATION_SIGNER_MISMATCH");
    // The resident's own signature submitted by the other resident: not prepared for them.
    expect(
      await codeOf(
        submitApplication(ctx, {
          residentId: other.resident.id,
          request: { signedData: await cardSign(card.sign!, prepared.content) },
        }),
      ),
    ).toBe("APPLICATION_CONTENT_INVALID");
    // A bad signature (the content changed after signing).
    const good = Buffer.from(await cardSign(card.sign!, prepared.content), "base64");
    const at = good.indexOf(Buffer.from("確認"));
    good[at + 2] = (good[at + 2] ?? 0) ^ 0x01;
    expect(
      await codeOf(
        submitApplication(ctx, { residentId: resident.id, request: { signedData: good.toString("base64") } }),
      ),
    ).toBe("SIGNATURE_INVALID");
    // Not SignedData at all; a missing field; a person outside the household; a non-canonical spelling.
    expect(await codeOf(submitApplication(ctx, { residentId: resident.id, request: { signedData: "AAAA" } }))).toBe(
      "CMS_MALFORMED",
    );
    expect(await codeOf(submitApplication(ctx, { residentId: resident.id, request: {} }))).toBe("VALIDATION_FAILED");
    expect(
      await codeOf(
        prepareApplication(prisma, {
          residentId: resident.id,
          draft: { kind: "residence-certificate", form: { ...form, purpose: undefined } },
          now: new Date(),
        }),
      ),
    ).toBe("VALIDATION_FAILED");
    expect(
      await codeOf(
        prepareApplication(prisma, {
          residentId: resident.id,
          draft: { kind: "residence-certificate", form: { ...form, subject: other.resident.registryNumber } },
          now: new Date(),
        }),
      ),
    ).toBe("APPLICATION_HOUSEHOLD_MISMATCH");
    const forged = { ...prepared.content, form: { ...form, subject: other.resident.registryNumber } };
    expect(
      await codeOf(
        submitApplication(ctx, {
          residentId: resident.id,
          request: { signedData: await cardSign(card.sign!, forged) },
        }),
      ),
    ).toBe("APPLICATION_HOUSEHOLD_MISMATCH");
    const spaced = await buildCades({
      content: new TextEncoder().encode(JSON.stringify(prepared.content, null, 1)),
      signerCertificate: card.sign!.certificate,
      algorithm: "RSASSA-PKCS1-v1_5",
      detached: false,
      signingTime: new Date(),
      sign: async (d) => new Uint8Array(await crypto.subtle.sign(RS256, card.sign!.privateKey, new Uint8Array(d))),
    });
    expect(
      await codeOf(
        submitApplication(ctx, {
          residentId: resident.id,
          request: { signedData: Buffer.from(spaced).toString("base64") },
        }),
      ),
    ).toBe("APPLICATION_CONTENT_INVALID");
    // A card reported lost: revoked.
    await world.jlis.reportLost({ residentRef: resident.registryNumber });
    expect(
      await codeOf(
        submitApplication(ctx, {
          residentId: resident.id,
          request: { signedData: await cardSign(card.sign!, prepared.content) },
        }),
      ),
    ).toBe("CERT_REVOKED");
    // A staff member without a reviewing role.
    const nurse = await seedStaffMember(prisma, { roles: ["HEALTH_OFFICER"] });
    expect(await codeOf(listApplicationQueue(prisma, { staff: { staffId: nurse.id, roles: nurse.roles } }))).toBe(
      "FORBIDDEN",
    );

    const mine = { in: [resident.id, other.resident.id, spouse.id] };
    expect(await prisma.serviceApplication.count({ where: { residentId: mine } })).toBe(0);
    expect(await prisma.auditEvent.count({ where: { type: "application.submitted", subjectResidentId: mine } })).toBe(
      0,
    );
  });

  it("an approved move reaches a partner watching the signing certificate: J-LIS unreachable leaves it pending, approving again finishes, the next change check sends the webhook", async () => {
    const { prisma, url } = db();
    const { ctx, resident, card, staff, moveForm, spouse } = await setup(prisma);
    const platform = world.context(prisma);
    const receiver = await startWebhookReceiver();
    const jobs = await startPlatformJobs(platform, {
      connectionString: url,
      schedule: false,
      pollingIntervalSeconds: 0.5,
    });
    try {
      const bank = await world.partner(prisma, {
        name: "一枚銀行",
        kind: "BANK",
        scopes: ["identity:verify", "identity:facts", "change:watch", "webhooks:manage"],
      });
      const { secret } = await createWebhookEndpoint(platform, {
        partnerId: bank.partnerId,
        mode: "LIVE",
        request: { url: receiver.url },
      });
      receiver.setSecret(secret);
      await world.jlis.setConsent({ residentRef: resident.registryNumber, consent: true });
      const opening = await signApplication(card.sign!, { kind: "account-opening" });
      const verification = await verifyIdentity(platform, {
        partner: bank,
        request: { ...opening, purpose: "口座開設の本人確認" },
      });
      await createWatch(platform, { partner: bank, request: { verificationId: verification.id } });

      const prepared = await prepareApplication(prisma, {
        residentId: resident.id,
        draft: { kind: "move", form: { ...moveForm, movers: [resident.registryNumber] } },
        now: new Date(),
      });
      const submitted = await submitApplication(ctx, {
        residentId: resident.id,
        request: { signedData: await cardSign(card.sign!, prepared.content) },
      });
      // J-LIS down at approval: the registry change stands, the report is owed.
      const down: TApplicationsContext = {
        ...ctx,
        jlis: {
          ...ctx.jlis,
          reportRegistryChange: async () => {
            throw new AppError("CERT_STATUS_UNAVAILABLE");
          },
        },
      };
      const pending = await approveApplication(down, { staff, applicationId: submitted.id });
      expect(pending).toMatchObject({
        status: "approved",
        fulfilled: false,
        pending: { code: "CERT_STATUS_UNAVAILABLE" },
      });
      expect((await prisma.resident.findUniqueOrThrow({ where: { id: resident.id } })).address).toBe(
        moveForm.newAddress,
      );
      expect(world.jlis.status(card.sign!.serial).status).toBe("good");
      expect((await listApplicationQueue(prisma, { staff })).map((q) => [q.id, q.status, q.fulfilled])).toContainEqual([
        submitted.id,
        "approved",
        false,
      ]);
      // Only the applicant moved: a household of their own at the new address; the spouse stays.
      const moved = await prisma.resident.findUniqueOrThrow({
        where: { id: resident.id },
        include: { household: true },
      });
      expect(moved.householdId).not.toBe(resident.householdId);
      expect(moved).toMatchObject({ householdRelation: "世帯主", household: { address: moveForm.newAddress } });
      expect((await prisma.resident.findUniqueOrThrow({ where: { id: spouse.id } })).address).toBe(resident.address);

      const finished = await approveApplication(ctx, { staff, applicationId: submitted.id });
      expect(finished).toMatchObject({ fulfilled: true });
      expect(world.jlis.status(card.sign!.serial)).toMatchObject({ status: "revoked", reason: "affiliationChanged" });

      const cycle = await jobs.runChangeCheckNow();
      expect(cycle).toMatchObject({ confirmed: 1 });
      const [got] = await receiver.waitFor(1);
      expect(got!.verified).toMatchObject({
        type: "certificate.revoked",
        data: {
          verificationId: verification.id,
          certificate: { serialNumber: card.sign!.serial },
          reason: "affiliationChanged",
          successor: { serialNumber: world.jlis.successorOf(card.sign!.serial).successor },
          latestFacts: { address: moveForm.newAddress },
        },
      });
    } finally {
      await jobs.stop();
      await receiver.close();
    }
  });

  it("J-LIS's registry-change report: the same facts again change nothing; a person without a card is null", async () => {
    const { prisma } = db();
    const { resident, card } = await world.resident(prisma);
    const { jlis } = world.context(prisma);
    const address = "徳島県一枚町栄町一丁目１番１号";
    const first = await jlis.reportRegistryChange({ residentRef: resident.registryNumber, facts: { address } });
    expect(first).toMatchObject({
      changed: true,
      revoked: [{ serialHex: card.sign!.serial, purpose: "sign", reason: "affiliationChanged" }],
    });
    expect(first!.successorSignSerial).toBe(world.jlis.successorOf(card.sign!.serial).successor);
    expect(await jlis.reportRegistryChange({ residentRef: resident.registryNumber, facts: { address } })).toEqual({
      changed: false,
      revoked: [],
      successorSignSerial: null,
    });
    expect(await jlis.reportRegistryChange({ residentRef: "no-such-person", facts: { address } })).toBeNull();
    expect(world.jlis.status(first!.successorSignSerial!).status).toBe("good");
  });
});
