/**
 * Benchmark: the resident inbox's first page with 1,000,000 documents over 10,000 residents
 * (goal: p95 ≤ 50 ms server side). Times `listDocuments` exactly as /mailbox calls it:
 * the page of 20 (rendered titles and subjects), the unread count, the issuer list for the filter
 * and the hash-chained `document.listed` audit event, in one transaction; plus the variants the
 * inbox offers: Japanese search by kanji (保険), by kana (ほけん, folded to match 保険 titles and
 * katakana), a rare kanji term (健診), the domain filter (tax), unread only, the archive and a
 * search of the archive.
 *
 * Data: an embedded PostgreSQL in a temp dir, migrated, filled with SQL (INSERT … SELECT
 * generate_series; the MailboxDocument indexes are dropped for the load and re-created from their
 * migration definitions afterwards). Documents come from 40 templates (every type, notices with
 * varied titles) with their real search text and grams (buildSearchText); residents are skewed
 * (resident k gets ∝ 1/√k documents: the heaviest ~10,000, the median ~60), 85 % read, 20 %
 * archived, 10 % labelled, spread over three years.
 *
 * Baseline (same run, same residents): the bare indexed query
 * `SELECT id … WHERE "residentId" = $1 ORDER BY "createdAt" DESC, id DESC LIMIT 20`.
 * Prints p50/p95/p99 and the ratio of p95 to the baseline's p95, for uniformly random residents
 * and for the 100 heaviest. Not a test: no assertions.
 * `--data-dir DIR` keeps the database in DIR (loaded once; later runs apply new migrations to
 * it and measure again), for before/after comparisons of an index migration.
 * Run: npx tsx bench/mailbox-inbox.ts [--documents N] [--samples N] [--data-dir DIR]
 */
import "reflect-metadata";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { freePort, percentile } from "./bench-util";
import { createPrismaClient, type PrismaClient } from "../lib/db/client";
import { startEmbeddedPostgres } from "../lib/db/embedded";
import { migrate } from "../lib/db/migrate";
import { buildSearchText } from "../lib/mailbox/build-search-text";
import { EXAMPLE_PAYLOADS } from "../lib/mailbox/document-types/examples";
import { DOCUMENT_TYPE_IDS, findDocumentType } from "../lib/mailbox/document-types/registry";
import { listDocuments } from "../lib/mailbox/list-documents";
import type { TListDocumentsFilter } from "../lib/mailbox/schemas";
import { seedPartner, seedResident } from "../prisma/seed/factories";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const DOCUMENTS = arg("--documents", 1_000_000);
const RESIDENTS = 10_000;
const SAMPLES = arg("--samples", 300);
const HEAVY = 100;
const DATA_DIR_ARG = process.argv.indexOf("--data-dir");
const KEEP_DIR = DATA_DIR_ARG > 0 ? path.resolve(process.argv[DATA_DIR_ARG + 1] ?? "") : undefined;

const ISSUERS = [
  { slug: "bench-town", name: "一枚町役場", nameEn: "Ichimai Town Office", kind: "GOVERNMENT" },
  { slug: "bench-life", name: "さくら生命保険株式会社", nameEn: "Sakura Life", kind: "LIFE_INSURER" },
  { slug: "bench-hospital", name: "一枚町立病院", nameEn: "Ichimai Town Hospital", kind: "HOSPITAL" },
  { slug: "bench-bus", name: "一枚町コミュニティバス", nameEn: "Ichimai Community Bus", kind: "BUS_OPERATOR" },
  { slug: "bench-pension", name: "日本年金機構", nameEn: "Japan Pension Service", kind: "GOVERNMENT" },
  { slug: "bench-employer", name: "株式会社一枚製作所", nameEn: "Ichimai Works", kind: "EMPLOYER" },
] as const;

const ISSUER_OF_TYPE: Record<string, number> = {
  "residence-certificate": 0,
  "income-tax-certificate": 0,
  notice: 0,
  "evacuation-order": 0,
  "life-insurance-deduction-certificate": 1,
  "medical-expense-notice": 0,
  "hospital-receipt": 2,
  "bus-ride-receipt": 3,
  "pension-payment-notice": 4,
  "withholding-slip": 5,
};

const NOTICE_TITLES = [
  "特定健診のご案内",
  "ごみ収集日の変更について",
  "予防接種のお知らせ",
  "固定資産税の納付について",
  "図書館の臨時休館",
  "防災訓練のご案内",
  "国民健康保険証の更新",
  "児童手当の現況届",
  "水道料金の改定",
  "マイナンバーカードの更新案内",
  "町民講座の受講者募集",
  "住民税の申告について",
  "高齢者向けバス回数券",
  "道路工事のお知らせ",
  "選挙の投票所入場券",
  "介護保険料の決定通知",
  "がん検診のご案内",
  "子育て支援センターの催し",
  "空き家バンクの登録",
  "災害時の避難所一覧",
  "ふるさと納税の御礼",
  "防犯灯の設置",
  "文化祭の出展者募集",
  "町営住宅の入居者募集",
  "狂犬病予防注射",
  "ワクチン接種券の送付",
  "下水道使用料のお知らせ",
  "転入者向けガイド",
  "成人式のご案内",
  "健康ポイント事業",
  "ひとり親家庭への支援",
];

function templates(issuerIds: string[]) {
  const rows: { type: string; payload: unknown; issuer: number }[] = [];
  for (const type of DOCUMENT_TYPE_IDS) {
    if (type !== "notice") rows.push({ type, payload: EXAMPLE_PAYLOADS[type], issuer: ISSUER_OF_TYPE[type] ?? 0 });
  }
  for (const title of NOTICE_TITLES) {
    rows.push({
      type: "notice",
      payload: { title, body: `${title}。詳しくは役場の窓口までお問い合わせください。` },
      issuer: 0,
    });
  }
  return rows.map((r, i) => {
    const type = findDocumentType(r.type)!;
    const issuer = ISSUERS[r.issuer]!;
    const search = buildSearchText({
      type,
      payload: r.payload,
      issuerName: issuer.name,
      issuerNameEn: issuer.nameEn,
      labels: [],
    });
    return { i, type: r.type, domain: type.domain, payload: r.payload, issuerId: issuerIds[r.issuer]!, ...search };
  });
}

async function load(prisma: PrismaClient): Promise<void> {
  const t0 = performance.now();
  const first = await seedResident(prisma);
  await prisma.$executeRawUnsafe(
    `INSERT INTO "Resident" (id, "registryNumber", "familyName", "givenName", "familyNameKana", "givenNameKana",
       "dateOfBirth", gender, address, "postalCode", "districtId", "householdId", "householdRelation", "updatedAt")
     SELECT gen_random_uuid(), 'BENCH' || lpad(g::text, 7, '0'), "familyName", "givenName", "familyNameKana",
       "givenNameKana", "dateOfBirth", gender, address, "postalCode", "districtId", "householdId", '世帯員', now()
     FROM "Resident", generate_series(2, $1) g WHERE id = $2::uuid`,
    RESIDENTS,
    first.id,
  );
  const issuerIds: string[] = [];
  for (const p of ISSUERS) issuerIds.push((await seedPartner(prisma, p as Parameters<typeof seedPartner>[1])).id);
  const tmpl = templates(issuerIds);
  await prisma.$executeRawUnsafe(
    `CREATE UNLOGGED TABLE bench_template (i int PRIMARY KEY, type text, domain text, payload jsonb,
       "issuerPartnerId" uuid, "searchText" text, "searchGrams" text[])`,
  );
  for (const t of tmpl) {
    await prisma.$executeRawUnsafe(
      `INSERT INTO bench_template VALUES ($1, $2, $3, $4::jsonb, $5::uuid, $6, $7::text[])`,
      t.i,
      t.type,
      t.domain,
      JSON.stringify(t.payload),
      t.issuerId,
      t.searchText,
      t.searchGrams,
    );
  }
  // Load without the secondary indexes, then build them once (far faster than row by row).
  const indexes = await prisma.$queryRawUnsafe<{ indexname: string; indexdef: string }[]>(
    `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'MailboxDocument' AND indexname NOT LIKE '%_pkey'`,
  );
  for (const ix of indexes) await prisma.$executeRawUnsafe(`DROP INDEX "${ix.indexname}"`);
  await prisma.$executeRawUnsafe(`SET maintenance_work_mem = '1GB'`);
  // Resident k (1-based, in id order) is drawn with P ∝ 1/√k: floor(N·u²) for uniform u.
  await prisma.$executeRawUnsafe(
    `WITH r AS (SELECT array_agg(id ORDER BY "registryNumber") AS ids FROM "Resident"),
          d AS (
            SELECT g, r.ids[1 + floor(${RESIDENTS} * power(random(), 2))::int] AS resident,
                   now() - random() * interval '1095 days' AS created, random() AS u, random() AS v
            FROM generate_series(1, $1) g, r)
     INSERT INTO "MailboxDocument" (id, "residentId", "issuerPartnerId", type, domain, payload, "payloadHash",
       signature, "verificationReport", "signatureValid", "signedAt", labels, "searchText", "searchGrams",
       "readAt", "archivedAt", "createdAt")
     SELECT gen_random_uuid(), d.resident, t."issuerPartnerId", t.type, t.domain, t.payload,
       md5(d.g::text) || md5(t.i::text), '\\x3082'::bytea, '{}'::jsonb, d.u < 0.995, d.created,
       CASE WHEN d.v < 0.10 THEN ARRAY[(ARRAY['税金','確定申告','家族','保存'])[1 + (d.g % 4)]] ELSE '{}' END,
       t."searchText", t."searchGrams",
       CASE WHEN d.u < 0.85 THEN d.created + interval '2 days' END,
       CASE WHEN d.v > 0.80 THEN d.created + interval '30 days' END,
       d.created
     FROM d JOIN bench_template t ON t.i = d.g % ${tmpl.length}`,
    DOCUMENTS,
  );
  const t1 = performance.now();
  for (const ix of indexes) await prisma.$executeRawUnsafe(ix.indexdef);
  await prisma.$executeRawUnsafe(`VACUUM ANALYZE "MailboxDocument"`);
  await prisma.$executeRawUnsafe(`ANALYZE "Resident"`);
  const t2 = performance.now();
  console.log(
    `loaded ${DOCUMENTS.toLocaleString("en")} documents over ${RESIDENTS.toLocaleString("en")} residents in ${((t1 - t0) / 1000).toFixed(1)} s, indexes ${((t2 - t1) / 1000).toFixed(1)} s (${indexes.map((i) => i.indexname).join(", ")})`,
  );
}

type TStats = { p50: number; p95: number; p99: number; mean: number };

async function time(residents: string[], op: (residentId: string) => Promise<unknown>): Promise<TStats> {
  for (const r of residents.slice(0, 20)) await op(r); // warm-up: JIT, plans, pool
  const latencies: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const r = residents[Math.floor(Math.random() * residents.length)]!;
    const t = performance.now();
    await op(r);
    latencies.push(performance.now() - t);
  }
  latencies.sort((a, b) => a - b);
  return {
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    mean: latencies.reduce((a, b) => a + b, 0) / latencies.length,
  };
}

async function main(): Promise<void> {
  const dir = KEEP_DIR ?? (await mkdtemp(path.join(os.tmpdir(), "ichimai-bench-inbox-")));
  const loaded = existsSync(path.join(dir, "loaded"));
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: await freePort() });
  await migrate(pg.url, path.resolve("prisma/migrations"));
  const prisma = createPrismaClient(pg.url);
  try {
    if (!loaded) {
      await load(prisma);
      if (KEEP_DIR) await mkdir(path.join(dir, "loaded"));
    }
    const counts = await prisma.$queryRawUnsafe<{ residentId: string; n: bigint }[]>(
      `SELECT "residentId", count(*) AS n FROM "MailboxDocument" GROUP BY "residentId" ORDER BY n DESC`,
    );
    const all = counts.map((c) => c.residentId);
    const heavy = all.slice(0, HEAVY);
    const n = counts.map((c) => Number(c.n));
    console.log(
      `documents per resident: max ${n[0]}, 100th ${n[HEAVY - 1]}, median ${n[Math.floor(n.length / 2)]}, min ${n.at(-1)} (${counts.length} residents with documents)`,
    );
    const baseline = (residentId: string) =>
      prisma.$queryRaw`SELECT id FROM "MailboxDocument" WHERE "residentId" = ${residentId}::uuid
        ORDER BY "createdAt" DESC, id DESC LIMIT 20`;
    const variants: [string, TListDocumentsFilter][] = [
      ["first page", {}],
      ["search kanji 保険", { q: "保険" }],
      ["search kana ほけん", { q: "ほけん" }],
      ["search katakana セイメイ", { q: "セイメイ" }],
      ["search rare 健診", { q: "健診" }],
      ["domain tax", { domain: "tax" }],
      ["unread only", { unreadOnly: true }],
      ["archive", { archived: true }],
      ["archive search 健診", { archived: true, q: "健診" }],
    ];
    const fmt = (n: number) => n.toFixed(2).padStart(7);
    for (const [label, residents] of [
      ["random residents", all],
      [`${HEAVY} heaviest residents`, heavy],
    ] as const) {
      const base = await time(residents, baseline);
      console.log(`\n${label} (${SAMPLES} samples each, 1 in flight; ms)`);
      console.log(`  ${"variant".padEnd(26)}    p50     p95     p99  p95/baseline`);
      console.log(`  ${"baseline bare SELECT".padEnd(26)}${fmt(base.p50)} ${fmt(base.p95)} ${fmt(base.p99)}`);
      for (const [name, filter] of variants) {
        const s = await time(residents, (residentId) => listDocuments(prisma, { residentId, filter, channel: "pc" }));
        const goal = s.p95 <= 50 ? "" : "  (goal p95 ≤ 50 ms not met)";
        console.log(
          `  ${name.padEnd(26)}${fmt(s.p50)} ${fmt(s.p95)} ${fmt(s.p99)}  ${(s.p95 / base.p95).toFixed(1).padStart(6)}×${goal}`,
        );
      }
    }
  } finally {
    await prisma.$disconnect();
    await pg.stop();
    if (!KEEP_DIR) await rm(dir, { recursive: true, force: true });
  }
}

await main();
