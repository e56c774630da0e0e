import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../test/db";
import { type TAuditAnchorConfig, verifyAuditAnchors, writeAuditAnchor, ZAuditAnchor } from "./audit-anchor";
import { appendTestAuditEvents, rewriteAuditChainFrom, tamperAuditEvents } from "../../test/audit/audit-chain-fixtures";
import { verifyAuditChain } from "./verify-audit-chain";

const KEY = Buffer.alloc(32, 1);
const OLD_KEY = Buffer.alloc(32, 2);
const dirs: string[] = [];

async function anchorFile(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ichimai-anchor-"));
  dirs.push(dir);
  return path.join(dir, "nested", "audit-anchors.jsonl");
}

async function chainWithAnchors(n: number, config?: Partial<TAuditAnchorConfig>) {
  const db = await createTestDatabase();
  const anchors: TAuditAnchorConfig = { file: await anchorFile(), key: KEY, ...config };
  await appendTestAuditEvents(db.prisma, n);
  return { ...db, anchors };
}

afterAll(async () => {
  for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
});

describe("audit chain anchors outside the database", () => {
  it("appends one MAC'd line per new head, none when the head is already anchored or the chain is empty", async () => {
    const db = await createTestDatabase();
    const config: TAuditAnchorConfig = { file: await anchorFile(), key: KEY };
    expect(await writeAuditAnchor(db.prisma, config)).toBeNull();
    await appendTestAuditEvents(db.prisma, 3);
    const first = await writeAuditAnchor(db.prisma, config, new Date("2026-12-06T01:00:00Z"));
    expect(first).toMatchObject({ v: 1, seq: "3", at: "2026-12-06T01:00:00.000Z" });
    expect(await writeAuditAnchor(db.prisma, config)).toBeNull();
    await appendTestAuditEvents(db.prisma, 2, 3);
    expect(await writeAuditAnchor(db.prisma, config)).toMatchObject({ seq: "5" });

    const lines = (await fs.readFile(config.file, "utf8")).trim().split("\n");
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(ZAuditAnchor.safeParse(JSON.parse(line)).success).toBe(true);
    expect(await verifyAuditAnchors(db.prisma, config)).toEqual({ verified: 2, latestSeq: 5n, problems: [] });
    await db.prisma.$disconnect();
  });

  it("detects a chain re-hashed to its end, which the chain check alone accepts", async () => {
    const db = await chainWithAnchors(6);
    await writeAuditAnchor(db.prisma, db.anchors);
    await appendTestAuditEvents(db.prisma, 4, 6);
    await writeAuditAnchor(db.prisma, db.anchors);

    await rewriteAuditChainFrom(db.prisma, db.url, 4n);
    expect(await verifyAuditChain(db.prisma)).toMatchObject({ ok: true, count: 10n });
    expect(await verifyAuditAnchors(db.prisma, db.anchors)).toEqual({
      verified: 0,
      latestSeq: null,
      problems: [
        { line: 1, reason: "hash_mismatch", seq: "6" },
        { line: 2, reason: "hash_mismatch", seq: "10" },
      ],
    });
    await db.prisma.$disconnect();
  });

  it("an edit after the last anchor is not caught by the anchors (only by the next one)", async () => {
    const db = await chainWithAnchors(5);
    await writeAuditAnchor(db.prisma, db.anchors);
    await appendTestAuditEvents(db.prisma, 2, 5);
    await rewriteAuditChainFrom(db.prisma, db.url, 7n);
    expect(await verifyAuditAnchors(db.prisma, db.anchors)).toMatchObject({ verified: 1, problems: [] });
    await db.prisma.$disconnect();
  });

  it("detects rows deleted from the end of the chain", async () => {
    const db = await chainWithAnchors(8);
    await writeAuditAnchor(db.prisma, db.anchors);
    await tamperAuditEvents(db.url, `DELETE FROM "AuditEvent" WHERE seq >= 7`);
    expect(await verifyAuditChain(db.prisma)).toMatchObject({ ok: true, count: 6n });
    expect((await verifyAuditAnchors(db.prisma, db.anchors)).problems).toEqual([
      { line: 1, reason: "seq_missing", seq: "8" },
    ]);
    await db.prisma.$disconnect();
  });

  it("refuses a forged or edited line, a line under an unknown key and a malformed line, and keeps checking", async () => {
    const db = await chainWithAnchors(4);
    const real = (await writeAuditAnchor(db.prisma, db.anchors))!;
    // A tamperer who re-hashed the chain and writes a matching anchor without the key.
    const forged = { ...real, hash: "a".repeat(64), mac: randomBytes(32).toString("base64url") };
    const otherKey = { ...real, kid: "0badc0de" };
    await fs.appendFile(
      db.anchors.file,
      `${JSON.stringify(forged)}\n{not json\n${JSON.stringify({ ...real, seq: "-1" })}\n${JSON.stringify(otherKey)}\n`,
    );
    expect(await verifyAuditAnchors(db.prisma, db.anchors)).toEqual({
      verified: 1,
      latestSeq: 4n,
      problems: [
        { line: 2, reason: "mac_invalid", seq: "4" },
        { line: 3, reason: "malformed" },
        { line: 4, reason: "malformed" },
        { line: 5, reason: "key_unknown", kid: "0badc0de" },
      ],
    });
    await db.prisma.$disconnect();
  });

  it("anchors written under a previous secrets key verify while that key is listed", async () => {
    const db = await chainWithAnchors(3, { key: OLD_KEY });
    await writeAuditAnchor(db.prisma, db.anchors);
    await appendTestAuditEvents(db.prisma, 1, 3);
    const rotated: TAuditAnchorConfig = { file: db.anchors.file, key: KEY, previousKeys: [OLD_KEY] };
    await writeAuditAnchor(db.prisma, rotated);
    expect(await verifyAuditAnchors(db.prisma, rotated)).toMatchObject({ verified: 2, problems: [] });
    const dropped: TAuditAnchorConfig = { file: db.anchors.file, key: KEY };
    expect((await verifyAuditAnchors(db.prisma, dropped)).problems).toEqual([
      { line: 1, reason: "key_unknown", kid: expect.stringMatching(/^[0-9a-f]{8}$/) },
    ]);
    await db.prisma.$disconnect();
  });

  it("a long file: the head check reads only its tail; lookups are batched and problems stay in line order", async () => {
    const db = await createTestDatabase();
    const config: TAuditAnchorConfig = { file: await anchorFile(), key: KEY };
    const lines: string[] = [];
    for (let i = 0; i < 3; i++) {
      await appendTestAuditEvents(db.prisma, 1, i);
      lines.push(JSON.stringify(await writeAuditAnchor(db.prisma, config)));
    }
    // 1,200 lines (about 280 KB): more than one lookup batch, far more than the tail that is read.
    await fs.writeFile(config.file, `${Array.from({ length: 400 }, () => lines.join("\n")).join("\n")}\n`);
    expect(await writeAuditAnchor(db.prisma, config)).toBeNull();
    expect(await verifyAuditAnchors(db.prisma, config)).toEqual({ verified: 1200, latestSeq: 3n, problems: [] });

    await tamperAuditEvents(db.url, `DELETE FROM "AuditEvent" WHERE seq = 3`);
    const report = await verifyAuditAnchors(db.prisma, config);
    expect(report).toMatchObject({ verified: 800, latestSeq: 2n });
    expect(report.problems).toHaveLength(400);
    expect(report.problems.slice(0, 2)).toEqual([
      { line: 3, reason: "seq_missing", seq: "3" },
      { line: 6, reason: "seq_missing", seq: "3" },
    ]);
    expect(report.problems.at(-1)).toEqual({ line: 1200, reason: "seq_missing", seq: "3" });
    // The head is now seq 2, which the last line does not anchor: a new line is written.
    expect(await writeAuditAnchor(db.prisma, config)).toMatchObject({ seq: "2" });
    await db.prisma.$disconnect();
  });

  it("a known answer: an anchor MAC'd before a code change still authenticates after it", async () => {
    // Computed once with node:crypto (HKDF-SHA256 of the key, empty salt, info
    // "ichimai/audit-anchor/v1"; HMAC-SHA256 over the fields). The MAC is accepted, so the line's
    // only problem is that this empty database has no seq 42.
    const db = await createTestDatabase();
    const config: TAuditAnchorConfig = { file: await anchorFile(), key: Buffer.alloc(32, 3) };
    const known = {
      v: 1,
      seq: "42",
      hash: "ab".repeat(32),
      at: "2026-12-06T04:00:00.000Z",
      kid: "648aa5c5",
      mac: "XRljGxtfH5eoiDOIdZOnBlChsiUtk_qZGoe3w-1QeWo",
    };
    await fs.mkdir(path.dirname(config.file), { recursive: true });
    await fs.writeFile(config.file, `${JSON.stringify(known)}\n${JSON.stringify({ ...known, seq: "43" })}\n`);
    expect((await verifyAuditAnchors(db.prisma, config)).problems).toEqual([
      { line: 1, reason: "seq_missing", seq: "42" },
      { line: 2, reason: "mac_invalid", seq: "43" },
    ]);
    await db.prisma.$disconnect();
  });

  it("an absent file is no anchors, not an error", async () => {
    const db = await createTestDatabase();
    expect(await verifyAuditAnchors(db.prisma, { file: await anchorFile(), key: KEY })).toEqual({
      verified: 0,
      latestSeq: null,
      problems: [],
    });
    await db.prisma.$disconnect();
  });
});
