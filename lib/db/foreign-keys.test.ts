import { cp, mkdtemp, readdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  seedPartner,
  seedPartnerCredential,
  seedPartnerUser,
  seedResident,
  type TSeedDb,
} from "../../prisma/seed/factories";
import { createEmptyDatabase, useTestDatabase } from "../../test/db";
import { createPrismaClient } from "./client";
import { MIGRATIONS_DIR } from "./connection";
import { detectSchemaDrift, parseDatamodel } from "../../test/db/drift";
import { migrate } from "./migrate";
import { readSchemaFiles } from "./schema-files";

const FK_MIGRATION = "20261203084410_foreign_keys";
const FK_REST_MIGRATION = "20261206002301_foreign_keys_rest";
const FK_REST_VALIDATE_MIGRATION = "20261206002302_foreign_keys_rest_validate";
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

/** A folder with the migrations up to `last` (or before it, without it), copied from MIGRATIONS_DIR. */
async function migrationsUpTo(last: string, options: { including?: boolean } = {}): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "mig-fk-"));
  for (const name of await readdir(MIGRATIONS_DIR)) {
    if (/^\d{14}_/.test(name) && (name < last || (options.including !== false && name === last))) {
      await cp(path.join(MIGRATIONS_DIR, name), path.join(dir, name), { recursive: true });
    }
  }
  return dir;
}

/**
 * Later migrations that only add a column today's Prisma client reads: the old-schema databases
 * below get them too, so that the factories (which select every column) can seed them.
 */
const LATER_COLUMN_MIGRATIONS = [
  "20261207194029_resident_sandbox",
  "20261207210507_terminal_webhook_credential_mode",
  "20261207211336_partner_action_origins",
  "20261207212607_link_requests",
  "20261207230012_link_request_signature",
  "20261208001931_disaster_base",
];

/** An empty database migrated up to, not including, `migration` (plus LATER_COLUMN_MIGRATIONS). */
async function databaseBefore(migration: string): Promise<string> {
  const url = await createEmptyDatabase();
  const dir = await migrationsUpTo(migration, { including: false });
  for (const name of LATER_COLUMN_MIGRATIONS) {
    await cp(path.join(MIGRATIONS_DIR, name), path.join(dir, name), { recursive: true });
  }
  await migrate(url, dir);
  return url;
}

/**
 * uuid columns that name a row elsewhere but have no foreign key, on purpose (the schema says
 * why). Any other non-id uuid column without a relation fails the first test below.
 */
const UUID_COLUMNS_WITHOUT_FK = new Set([
  "AuditEvent.id", // the event's own public id (@unique; the key is seq)
  "AuditEvent.subjectResidentId", // the append-only log outlives what it mentions
  "DeliveryFailure.bulkId", // a random id of one bulk request; no table
]);

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

  it("[DB][FK] every uuid column that is not a key has a relation, or is a listed exception", async () => {
    const dmmf = parseDatamodel(await readSchemaFiles());
    const withoutRelation: string[] = [];
    for (const m of dmmf.datamodel.models) {
      const related = new Set(m.fields.flatMap((f) => f.relationFromFields ?? []));
      for (const f of m.fields) {
        const native = f.nativeType as [string, unknown] | null | undefined;
        if (f.kind !== "object" && native?.[0] === "Uuid" && !f.isId && !related.has(f.name)) {
          withoutRelation.push(`${m.name}.${f.name}`);
        }
      }
    }
    expect(withoutRelation.sort()).toEqual([...UUID_COLUMNS_WITHOUT_FK].sort());
  });

  it("[DB][FK] every foreign key's columns lead an index (a delete or update of the referenced row scans none)", async () => {
    const { prisma } = db();
    const unindexed = await prisma.$queryRaw<{ key: string }[]>`
      SELECT c.conrelid::regclass::text || '(' || string_agg(a.attname, ', ' ORDER BY k.n) || ')' AS key
      FROM pg_constraint c
      CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
      WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
        AND NOT EXISTS (
          SELECT 1 FROM pg_index i
          WHERE i.indrelid = c.conrelid
            AND (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(c.conkey)] @> c.conkey
            AND (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(c.conkey)] <@ c.conkey
        )
      GROUP BY c.oid, c.conrelid
      ORDER BY 1`;
    expect(unindexed.map((r) => r.key)).toEqual([]);
  });

  it("[DB][FK] refuses a share, delivery request, scope request or rotation that points at a missing row", async () => {
    const { prisma } = db();
    const resident = await seedResident(prisma);
    const partner = await seedPartner(prisma);
    const { credential } = await seedPartnerCredential(prisma, { partnerId: partner.id });
    const doc = await seedDocument(prisma, resident.id, partner.id);

    await expect(
      prisma.documentShare.create({
        data: { documentId: doc.id, residentId: MISSING, partnerId: partner.id, expiresAt: new Date() },
      }),
    ).rejects.toMatchObject(FK_VIOLATION);
    await expect(
      prisma.deliveryRequest.create({
        data: {
          partnerId: partner.id,
          idempotencyKey: "k-orphan",
          requestHash: "0".repeat(64),
          responseStatus: 201,
          response: {},
          documentId: MISSING,
        },
      }),
    ).rejects.toMatchObject(FK_VIOLATION);
    await expect(
      prisma.scopeRequest.create({
        data: { partnerId: partner.id, scopes: ["sandbox"], reason: "r", requestedBy: MISSING },
      }),
    ).rejects.toMatchObject(FK_VIOLATION);
    await expect(
      prisma.partnerCredential.update({ where: { id: credential.id }, data: { replacedById: MISSING } }),
    ).rejects.toMatchObject(FK_VIOLATION);
    await expect(prisma.documentShare.count()).resolves.toBe(0);
    await expect(prisma.deliveryRequest.count()).resolves.toBe(0);
    await expect(prisma.scopeRequest.count()).resolves.toBe(0);
    expect(
      await prisma.partnerCredential.findUniqueOrThrow({
        where: { id: credential.id },
        select: { replacedById: true },
      }),
    ).toEqual({ replacedById: null });
  });

  it("[DB][FK] a deleted document leaves its delivery request without a document; users, credentials and sharing residents are RESTRICT", async () => {
    const { prisma } = db();
    const resident = await seedResident(prisma);
    const partner = await seedPartner(prisma);
    const user = await seedPartnerUser(prisma, { partnerId: partner.id });
    const { credential: old } = await seedPartnerCredential(prisma, { partnerId: partner.id });
    const { credential: next } = await seedPartnerCredential(prisma, { partnerId: partner.id });
    const doc = await seedDocument(prisma, resident.id, partner.id);
    const request = await prisma.deliveryRequest.create({
      data: {
        partnerId: partner.id,
        idempotencyKey: "k-1",
        requestHash: "0".repeat(64),
        responseStatus: 201,
        response: { receipt: { id: doc.id } },
        documentId: doc.id,
      },
    });
    await prisma.mailboxDocument.delete({ where: { id: doc.id } });
    // The stored answer stays, so a retry with the key is still a replay, not a second delivery.
    expect(
      await prisma.deliveryRequest.findUniqueOrThrow({
        where: { id: request.id },
        select: { documentId: true, response: true },
      }),
    ).toEqual({ documentId: null, response: { receipt: { id: doc.id } } });

    await prisma.scopeRequest.create({
      data: { partnerId: partner.id, scopes: ["sandbox"], reason: "r", requestedBy: user.id },
    });
    await expect(prisma.partnerUser.delete({ where: { id: user.id } })).rejects.toMatchObject(FK_VIOLATION);
    await prisma.partnerCredential.update({ where: { id: old.id }, data: { replacedById: next.id } });
    await expect(prisma.partnerCredential.delete({ where: { id: next.id } })).rejects.toMatchObject(FK_VIOLATION);

    const sharer = await seedResident(prisma);
    const shared = await seedDocument(prisma, sharer.id, partner.id);
    await prisma.documentShare.create({
      data: { documentId: shared.id, residentId: sharer.id, partnerId: partner.id, expiresAt: new Date() },
    });
    // Only the share still names the sharer (not the document), so the share alone blocks the delete.
    await prisma.mailboxDocument.update({ where: { id: shared.id }, data: { residentId: resident.id } });
    await expect(prisma.resident.delete({ where: { id: sharer.id } })).rejects.toMatchObject(FK_VIOLATION);
  });

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
    const url = await databaseBefore(FK_MIGRATION);
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
          datamodel: await readSchemaFiles(),
          connectionString: url,
        }),
      ).toEqual([]);
    } finally {
      await prisma.$disconnect();
    }
  });

  it("[DB][FK][MIGRATION] foreign_keys_rest adds its keys NOT VALID; _validate repairs or nulls older orphans and validates them", async () => {
    const url = await databaseBefore(FK_REST_MIGRATION);
    const prisma = createPrismaClient(url);
    const notValid = async () =>
      (
        await prisma.$queryRaw<{ name: string }[]>`
          SELECT conname::text AS name FROM pg_constraint WHERE contype = 'f' AND NOT convalidated ORDER BY 1`
      ).map((r) => r.name);
    try {
      const owner = await seedResident(prisma);
      const partner = await seedPartner(prisma);
      const user = await seedPartnerUser(prisma, { partnerId: partner.id });
      const { credential: old } = await seedPartnerCredential(prisma, { partnerId: partner.id });
      const { credential: next } = await seedPartnerCredential(prisma, { partnerId: partner.id });
      const { credential: orphanRotated } = await seedPartnerCredential(prisma, { partnerId: partner.id });
      const doc = await seedDocument(prisma, owner.id, partner.id);

      // Valid rows and orphans, written while nothing checked them.
      const share = (residentId: string) =>
        prisma.documentShare.create({
          data: { documentId: doc.id, residentId, partnerId: partner.id, expiresAt: new Date() },
          select: { id: true },
        });
      const keptShare = await share(owner.id);
      const orphanShare = await share(MISSING);
      const request = (idempotencyKey: string, documentId: string) =>
        prisma.deliveryRequest.create({
          data: {
            partnerId: partner.id,
            idempotencyKey,
            requestHash: "0".repeat(64),
            responseStatus: 201,
            response: {},
            documentId,
          },
          select: { id: true },
        });
      const keptRequest = await request("k-kept", doc.id);
      const orphanRequest = await request("k-orphan", MISSING);
      const scopeRequest = (requestedBy: string) =>
        prisma.scopeRequest.create({
          data: { partnerId: partner.id, scopes: ["sandbox"], reason: "r", requestedBy },
          select: { id: true },
        });
      const keptScope = await scopeRequest(user.id);
      const orphanScope = await scopeRequest(MISSING);
      await prisma.partnerCredential.update({ where: { id: old.id }, data: { replacedById: next.id } });
      await prisma.partnerCredential.update({ where: { id: orphanRotated.id }, data: { replacedById: MISSING } });

      // The first migration only adds the keys: old orphans stay, new ones are refused at once.
      expect((await migrate(url, await migrationsUpTo(FK_REST_MIGRATION))).applied).toEqual([FK_REST_MIGRATION]);
      expect(await notValid()).toEqual([
        "DeliveryRequest_documentId_fkey",
        "DocumentShare_residentId_fkey",
        "PartnerCredential_replacedById_fkey",
        "ScopeRequest_requestedBy_fkey",
      ]);
      await expect(share(MISSING)).rejects.toMatchObject(FK_VIOLATION);
      await expect(request("k-new-orphan", MISSING)).rejects.toMatchObject(FK_VIOLATION);

      expect((await migrate(url, MIGRATIONS_DIR)).applied).toContain(FK_REST_VALIDATE_MIGRATION);
      expect(await notValid()).toEqual([]);
      const residentOf = async (id: string) =>
        (await prisma.documentShare.findUniqueOrThrow({ where: { id }, select: { residentId: true } })).residentId;
      expect(await residentOf(keptShare.id)).toBe(owner.id);
      // Repaired from the shared document: the share is its owner's again.
      expect(await residentOf(orphanShare.id)).toBe(owner.id);
      const documentOf = async (id: string) =>
        (await prisma.deliveryRequest.findUniqueOrThrow({ where: { id }, select: { documentId: true } })).documentId;
      expect(await documentOf(keptRequest.id)).toBe(doc.id);
      expect(await documentOf(orphanRequest.id)).toBeNull();
      const requesterOf = async (id: string) =>
        (await prisma.scopeRequest.findUniqueOrThrow({ where: { id }, select: { requestedBy: true } })).requestedBy;
      expect(await requesterOf(keptScope.id)).toBe(user.id);
      expect(await requesterOf(orphanScope.id)).toBeNull();
      const replacementOf = async (id: string) =>
        (await prisma.partnerCredential.findUniqueOrThrow({ where: { id }, select: { replacedById: true } }))
          .replacedById;
      expect(await replacementOf(old.id)).toBe(next.id);
      expect(await replacementOf(orphanRotated.id)).toBeNull();
      expect(
        await detectSchemaDrift({
          datamodel: await readSchemaFiles(),
          connectionString: url,
        }),
      ).toEqual([]);
    } finally {
      await prisma.$disconnect();
    }
  });
});
