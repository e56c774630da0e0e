/**
 * Benchmark: issuing one evacuation order to a whole district — `issueOrder` then
 * `deliverOrderNotices` as /admin/disaster runs them: for each of RESIDENTS residents (default
 * 100,000) her nearest suited open shelters, her personal 避難指示 payload from her registry
 * record, the town's CAdES-BES signature over it, the mailbox's bulk delivery (verification of
 * that signature against the partner CA and its CRL, the document rows, one `document.delivered`
 * audit event each, the "a document arrived" e-mail queued) and her EvacuationNotice receipt.
 *
 * Baseline (same run): the cryptographic floor of the same work — one town signature and one
 * verifyCms per document, at the same concurrency, measured on a sample of BASELINE documents
 * and scaled to RESIDENTS; and the signatures alone. Prints the total, documents per second and
 * the ratio to the baseline.
 * Goal: ≤ 60 s for 100,000 residents.
 * Run: npx tsx bench/disaster-order.ts [--residents N]
 */
import "reflect-metadata";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { currentPartnerCrl, openPartnerCa } from "../jlis-sim/partner-ca/partner-ca";
import { createPrismaClient } from "../lib/db/client";
import { startEmbeddedPostgres } from "../lib/db/embedded";
import { migrate } from "../lib/db/migrate";
import type { TOrdersContext } from "../lib/disaster/orders/context";
import { buildNoticePayload } from "../lib/disaster/orders/notices";
import { deliverOrderNotices } from "../lib/disaster/orders/notices";
import { issueOrder } from "../lib/disaster/orders/orders";
import { signCms, verifyCms } from "../lib/jpki";
import { canonicalJsonBytes } from "../lib/mailbox/canonical-json";
import { seedDistrict, seedPartner, seedStaffMember } from "../prisma/seed/factories";
import { issueOrgSigner } from "../test/mailbox/mailbox-world";
import { freePort } from "./bench-util";

const argResidents = process.argv.indexOf("--residents");
const RESIDENTS = argResidents > 0 ? Number(process.argv[argResidents + 1]) : 100_000;
const BASELINE = Math.min(2_000, RESIDENTS);
const SHELTERS = 30;
const CONCURRENCY = 16;

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "ichimai-bench-disaster-"));
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: await freePort() });
  await migrate(pg.url, path.resolve("prisma/migrations"));
  const prisma = createPrismaClient(pg.url);
  try {
    const caDir = path.join(dir, "partner-ca");
    const ca = await openPartnerCa(caDir);
    const crls = [await currentPartnerCrl(caDir)];
    const town = await seedPartner(prisma, { slug: "bench-town", name: "一枚町役場", kind: "GOVERNMENT" });
    const signer = await issueOrgSigner(ca, town);
    const ctx: TOrdersContext = {
      prisma,
      townSigner: async () => ({ partnerSlug: town.slug, municipality: "徳島県一枚町", ...signer }),
      issuerTrustAnchors: async () => [ca.certificate],
      issuerCrls: async () => crls,
    };
    const district = await seedDistrict(prisma, { code: "BENCH-01", name: "川西地区", nameEn: "Kawanishi" });
    const officer = await seedStaffMember(prisma, { roles: ["DISASTER_OFFICER"] });

    console.log(`loading ${RESIDENTS.toLocaleString("en")} residents and ${SHELTERS} shelters…`);
    // Two residents per household, spread over ~5 km; a tenth need a wheelchair, a few speak English.
    await prisma.$executeRawUnsafe(`
      INSERT INTO "Household" ("id", "code", "districtId", "address", "latitude", "longitude")
      SELECT gen_random_uuid(), 'BH-' || i, '${district.id}', '徳島県一枚町川西' || i || '番',
             33.90 + (i % 100) * 0.0005, 134.60 + (i / 100 % 100) * 0.0005
        FROM generate_series(1, ${Math.ceil(RESIDENTS / 2)}) AS i`);
    await prisma.$executeRawUnsafe(`
      INSERT INTO "Resident" ("id", "registryNumber", "familyName", "givenName", "familyNameKana", "givenNameKana",
        "dateOfBirth", "gender", "address", "postalCode", "districtId", "householdId", "householdRelation",
        "language", "needs", "createdAt", "updatedAt")
      SELECT gen_random_uuid(), 'BENCH-' || i, '川西', '住民' || i, 'カワニシ', 'ジュウミン', DATE '1970-01-01', 'FEMALE',
             h."address", '779-3999', h."districtId", h."id", '世帯主',
             CASE WHEN i % 50 = 0 THEN 'en' ELSE 'ja' END,
             CASE WHEN i % 10 = 0 THEN ARRAY['wheelchair'] ELSE ARRAY[]::text[] END, now(), now()
        FROM generate_series(1, ${RESIDENTS}) AS i
        JOIN "Household" h ON h."code" = 'BH-' || ((i + 1) / 2)`);
    await prisma.shelter.createMany({
      data: Array.from({ length: SHELTERS }, (_, i) => ({
        code: `BS-${i}`,
        name: `避難所${i}`,
        nameEn: `Shelter ${i}`,
        kind: i % 5 === 0 ? ("WELFARE" as const) : ("DESIGNATED" as const),
        districtId: district.id,
        address: `徳島県一枚町川西${i}番`,
        latitude: 33.9 + (i % 6) * 0.008,
        longitude: 134.6 + Math.floor(i / 6) * 0.008,
        capacity: 500,
        features: i % 3 === 0 ? ["wheelchair", "care"] : [],
        languages: i % 4 === 0 ? ["ja", "en"] : ["ja"],
        open: true,
      })),
    });
    await prisma.$executeRawUnsafe(`ANALYZE`);

    // Baseline: one signature and one verification per document, same concurrency.
    const order = {
      id: "00000000-0000-4000-8000-000000000000",
      hazard: "FLOOD" as const,
      level: 4 as const,
      message: "川の水位が上がっています。",
      messageEn: "The river is rising.",
      issuedAt: new Date(),
      districtName: district.name,
    };
    const shelters = await prisma.shelter.findMany();
    const sample = Array.from({ length: BASELINE }, (_, i) =>
      canonicalJsonBytes(
        buildNoticePayload(
          order,
          {
            id: String(i),
            registryNumber: `B-${i}`,
            familyName: "川西",
            givenName: `住民${i}`,
            language: "ja",
            needs: [],
            latitude: 33.9,
            longitude: 134.6,
          },
          shelters,
        ),
      ),
    );
    const b0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < sample.length; i = next++) {
          const sig = await signCms({
            content: sample[i]!,
            signerCertificate: signer.certificate,
            privateKey: signer.privateKey,
            detached: true,
            signingTime: new Date(),
          });
          await verifyCms({ signedData: sig, detachedContent: sample[i]!, trustAnchors: [ca.certificate] });
        }
      }),
    );
    const baselinePerDoc = (performance.now() - b0) / BASELINE;
    const baselineTotal = (baselinePerDoc * RESIDENTS) / 1000;
    // The signatures alone (the town's RSA key), same concurrency: what no delivery change can go below.
    const s0 = performance.now();
    next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < sample.length; i = next++) {
          await signCms({
            content: sample[i]!,
            signerCertificate: signer.certificate,
            privateKey: signer.privateKey,
            detached: true,
            signingTime: new Date(),
          });
        }
      }),
    );
    const signOnlyTotal = ((performance.now() - s0) / BASELINE) * (RESIDENTS / 1000);

    console.log("issuing the order…");
    const t0 = performance.now();
    const issued = await issueOrder(ctx, {
      staff: { staffId: officer.id, roles: officer.roles },
      input: { district: district.code, hazard: "FLOOD", level: 4, message: order.message, messageEn: order.messageEn },
    });
    const result = await deliverOrderNotices(ctx, issued);
    const seconds = (performance.now() - t0) / 1000;
    const [docs, notices, mails, audits] = await Promise.all([
      prisma.mailboxDocument.count({ where: { type: "evacuation-order" } }),
      prisma.evacuationNotice.count({ where: { orderId: issued.orderId, documentId: { not: null } } }),
      prisma.notificationOutbox.count(),
      prisma.auditEvent.count({ where: { type: "document.delivered" } }),
    ]);
    console.log(
      `\norder to ${RESIDENTS.toLocaleString("en")} residents: ${seconds.toFixed(1)} s ` +
        `(${Math.round(RESIDENTS / seconds).toLocaleString("en")} documents/s); delivered ${result.delivered}, refused ${result.refused}`,
    );
    console.log(
      `  stored: ${docs} signed documents, ${notices} notices, ${mails} e-mails queued, ${audits} audit events`,
    );
    console.log(
      `  baseline (sign + verify only, ${BASELINE} sampled, scaled): ${baselineTotal.toFixed(1)} s ` +
        `(${Math.round(1000 / baselinePerDoc).toLocaleString("en")} documents/s)`,
    );
    console.log(`  signatures alone (same sample, scaled): ${signOnlyTotal.toFixed(1)} s`);
    console.log(
      `  ratio to baseline: ${(seconds / baselineTotal).toFixed(2)}×   goal ≤ 60 s: ${seconds <= 60 ? "met" : "NOT met"}`,
    );
  } finally {
    await prisma.$disconnect();
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

void main();
