import { cp, mkdtemp, readdir, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { seedPartner, seedPartnerCredential, seedResident, type TSeedDb } from "../../prisma/seed/factories";
import { createEmptyDatabase, useTestDatabase } from "../test/db";
import { createPrismaClient } from "./client";
import { MIGRATIONS_DIR } from "./connection";
import { detectSchemaDrift } from "./drift";
import { migrate } from "./migrate";

const FK_MIGRATION = "20261203084410_foreign_keys";
const MISSING = "00000000-0000-4000-8000-00000000dead";
const FK_VIOLATION = { code: "P2003" };

/** A bare mailbox document (the columns the constraints need, nothing realistic). */
function seedDocument(db: TSeedDb, residentId: string, issuerPartnerId: string) {
  return db.mailboxDocument.create({
    data: {
      residentId,
      issuerPartnerId,
      type: "town-notice",
      domain: "municipal",
      payload: {},
      payloadHash: "0".repeat(64),
      signature: new Uint8Array([1]),
      verificationReport: {},
      signatureValid: true,
      searchText: "",
    },
    select: { id: true },
  });
}

function verificationData(partnerId: string, credentialId: string, residentId: string | null) {
  return {
    partnerId,
    credentialId,
    residentId,
    purpose: "口座開設",
    status: "VERIFIED" as const,
    checks: [],
    signerIssuerDn: "C=JP, O=JPKI",
    signerSerialNumber: "1a2b",
    signerNotAfter: new Date("2030-01-01T00:00:00Z"),
    contentHash: "0".repeat(64),
  };
}

describe("foreign keys between ids (migration foreign_keys)", () => {
  const db = useTestDatabase();

  it("[DB][FK] refuses rows that point at a missing resident, partner, event or endpoint", async () => {
    const { prisma } = db();
    const resident = await seedResident(prisma);
    const partner = await seedPartner(prisma);
    const { credential } = await seedPartnerCredential(prisma, { partnerId: partner.id });

    await expect(
      prisma.residentNotice.create({ data: { residentId: MISSING, kind: "k", title: "t", body: "" } }),
    ).rejects.toMatchObject(FK_VIOLATION);
    await expect(
      prisma.notificationOutbox.create({
        data: { residentId: MISSING, documentType: "notice", issuerName: "x", issuerNameEn: "x" },
      }),
    ).rejects.toMatchObject(FK_VIOLATION);
    await expect(
      prisma.identityVerification.create({ data: verificationData(partner.id, credential.id, MISSING) }),
    ).rejects.toMatchObject(FK_VIOLATION);
    await expect(
      prisma.proxyGrant.create({
        data: { principalId: resident.id, proxyId: MISSING, access: "READ", domains: ["tax"], endsAt: new Date() },
      }),
    ).rejects.toMatchObject(FK_VIOLATION);

    const endpoint = await prisma.webhookEndpoint.create({
      data: { partnerId: partner.id, url: "https://hooks.example.jp/x", secret: "s", secretHint: "s" },
    });
    await expect(
      prisma.webhookEvent.create({ data: { id: "evt_orphan", partnerId: MISSING, type: "t", payload: {} } }),
    ).rejects.toMatchObject(FK_VIOLATION);
    await expect(
      prisma.webhookDelivery.create({
        data: { id: "msg_orphan", eventId: "evt_missing", endpointId: endpoint.id, partnerId: partner.id },
      }),
    ).rejects.toMatchObject(FK_VIOLATION);
    await expect(prisma.residentNotice.count()).resolves.toBe(0);
    await expect(prisma.webhookDelivery.count()).resolves.toBe(0);
  });

  it("[DB][FK] deleting a webhook event or delivery takes its log rows; a resident with rows cannot be deleted", async () => {
    const { prisma } = db();
    const resident = await seedResident(prisma);
    const partner = await seedPartner(prisma);
    const endpoint = await prisma.webhookEndpoint.create({
      data: { partnerId: partner.id, url: "https://hooks.example.jp/y", secret: "s", secretHint: "s" },
    });
    const event = (id: string) =>
      prisma.webhookEvent.create({ data: { id, partnerId: partner.id, type: "certificate.revoked", payload: {} } });
    const delivery = (id: string, eventId: string) =>
      prisma.webhookDelivery.create({ data: { id, eventId, endpointId: endpoint.id, partnerId: partner.id } });
    await event("evt_a");
    await event("evt_b");
    await delivery("msg_a", "evt_a");
    await delivery("msg_b", "evt_b");
    await prisma.webhookAttempt.createMany({
      data: [
        { deliveryId: "msg_a", attempt: 1, durationMs: 5 },
        { deliveryId: "msg_a", attempt: 2, durationMs: 5 },
        { deliveryId: "msg_b", attempt: 1, durationMs: 5 },
      ],
    });

    await prisma.webhookDelivery.delete({ where: { id: "msg_a" } });
    expect(await prisma.webhookAttempt.findMany({ select: { deliveryId: true } })).toEqual([{ deliveryId: "msg_b" }]);
    await prisma.webhookEvent.delete({ where: { id: "evt_b" } });
    expect(await prisma.webhookDelivery.count({ where: { id: "msg_b" } })).toBe(0);
    expect(await prisma.webhookAttempt.count({ where: { deliveryId: "msg_b" } })).toBe(0);
    // Endpoints and partners are disabled, never deleted: RESTRICT.
    await delivery("msg_c", "evt_a");
    await expect(prisma.webhookEndpoint.delete({ where: { id: endpoint.id } })).rejects.toMatchObject(FK_VIOLATION);

    await prisma.residentNotice.create({ data: { residentId: resident.id, kind: "k", title: "t", body: "" } });
    await expect(prisma.resident.delete({ where: { id: resident.id } })).rejects.toMatchObject(FK_VIOLATION);
  });

  it("[DB][FK] a deleted document takes its pending e-mail and leaves the proxy notice without a document", async () => {
    const { prisma } = db();
    const principal = await seedResident(prisma);
    const proxy = await seedResident(prisma);
    const partner = await seedPartner(prisma);
    const doc = await seedDocument(prisma, principal.id, partner.id);
    const grant = await prisma.proxyGrant.create({
      data: {
        principalId: principal.id,
        proxyId: proxy.id,
        access: "READ",
        domains: ["municipal"],
        endsAt: new Date(),
      },
    });
    const notice = await prisma.proxyNotice.create({
      data: { principalId: principal.id, proxyId: proxy.id, grantId: grant.id, action: "read", documentId: doc.id },
    });
    await prisma.notificationOutbox.create({
      data: {
        residentId: principal.id,
        documentId: doc.id,
        documentType: "town-notice",
        issuerName: "x",
        issuerNameEn: "x",
      },
    });

    await prisma.mailboxDocument.delete({ where: { id: doc.id } });
    expect(await prisma.proxyNotice.findUnique({ where: { id: notice.id }, select: { documentId: true } })).toEqual({
      documentId: null,
    });
    expect(await prisma.notificationOutbox.count({ where: { residentId: principal.id } })).toBe(0);
  });

  it("[DB][FK][MIGRATION] the migration removes or nulls orphans written before it, keeps the rest, and ends drift-free", async () => {
    // The migrations before foreign_keys, in a folder of their own.
    const before = await mkdtemp(path.join(os.tmpdir(), "mig-fk-"));
    for (const name of await readdir(MIGRATIONS_DIR)) {
      if (/^\d{14}_/.test(name) && name < FK_MIGRATION) {
        await cp(path.join(MIGRATIONS_DIR, name), path.join(before, name), { recursive: true });
      }
    }
    const url = await createEmptyDatabase();
    await migrate(url, before);
    const prisma = createPrismaClient(url);
    try {
      const resident = await seedResident(prisma);
      const proxy = await seedResident(prisma);
      const partner = await seedPartner(prisma);
      const { credential } = await seedPartnerCredential(prisma, { partnerId: partner.id });
      const doc = await seedDocument(prisma, resident.id, partner.id);

      // Kept (valid parents) and orphans, written while nothing checked them.
      const keptNotice = await prisma.residentNotice.create({
        data: { residentId: resident.id, kind: "k", title: "kept", body: "" },
      });
      await prisma.residentNotice.create({ data: { residentId: MISSING, kind: "k", title: "orphan", body: "" } });
      const unboundVerification = await prisma.identityVerification.create({
        data: verificationData(partner.id, credential.id, MISSING),
      });
      const orphanVerification = await prisma.identityVerification.create({
        data: verificationData(MISSING, credential.id, resident.id),
      });
      await prisma.certificateWatch.create({
        data: {
          partnerId: partner.id,
          credentialId: credential.id,
          verificationId: orphanVerification.id,
          issuerDn: "C=JP",
          issuerFingerprint: "f".repeat(64),
          serialNumber: "1a2b",
        },
      });
      const endpoint = await prisma.webhookEndpoint.create({
        data: { partnerId: partner.id, url: "https://hooks.example.jp/z", secret: "s", secretHint: "s" },
      });
      await prisma.webhookEvent.create({ data: { id: "evt_ok", partnerId: partner.id, type: "t", payload: {} } });
      await prisma.webhookDelivery.createMany({
        data: [
          { id: "msg_ok", eventId: "evt_ok", endpointId: endpoint.id, partnerId: partner.id },
          { id: "msg_orphan", eventId: "evt_gone", endpointId: endpoint.id, partnerId: partner.id },
        ],
      });
      await prisma.webhookAttempt.createMany({
        data: [
          { deliveryId: "msg_ok", attempt: 1, durationMs: 1 },
          { deliveryId: "msg_orphan", attempt: 1, durationMs: 1 },
        ],
      });
      const grant = await prisma.proxyGrant.create({
        data: { principalId: resident.id, proxyId: proxy.id, access: "READ", domains: ["tax"], endsAt: new Date() },
      });
      const proxyNotice = await prisma.proxyNotice.create({
        data: { principalId: resident.id, proxyId: proxy.id, grantId: grant.id, action: "read", documentId: MISSING },
      });
      const mail = { documentType: "town-notice", issuerName: "x", issuerNameEn: "x" };
      await prisma.notificationOutbox.createMany({
        data: [
          { ...mail, residentId: resident.id, documentId: doc.id },
          { ...mail, residentId: MISSING },
          { ...mail, residentId: resident.id, documentId: MISSING },
        ],
      });

      const applied = await migrate(url, MIGRATIONS_DIR);
      expect(applied.applied).toContain(FK_MIGRATION);

      expect(await prisma.residentNotice.findMany({ select: { id: true } })).toEqual([{ id: keptNotice.id }]);
      expect(await prisma.identityVerification.findMany({ select: { id: true, residentId: true } })).toEqual([
        { id: unboundVerification.id, residentId: null },
      ]);
      expect(await prisma.certificateWatch.count()).toBe(0);
      expect(await prisma.webhookDelivery.findMany({ select: { id: true } })).toEqual([{ id: "msg_ok" }]);
      expect(await prisma.webhookAttempt.findMany({ select: { deliveryId: true } })).toEqual([
        { deliveryId: "msg_ok" },
      ]);
      expect(
        await prisma.proxyNotice.findUnique({ where: { id: proxyNotice.id }, select: { documentId: true } }),
      ).toEqual({ documentId: null });
      expect(await prisma.notificationOutbox.findMany({ select: { documentId: true } })).toEqual([
        { documentId: doc.id },
      ]);
      expect(
        await detectSchemaDrift({
          datamodel: await readFile(path.resolve("prisma/schema.prisma"), "utf8"),
          connectionString: url,
        }),
      ).toEqual([]);
    } finally {
      await prisma.$disconnect();
    }
  });
});
