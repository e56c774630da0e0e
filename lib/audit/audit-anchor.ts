/**
 * External anchors for the audit chain.
 *
 * The hash chain (verify-audit-chain.ts) detects an edited, inserted or deleted row, but someone
 * with write access to the database can re-hash the chain from the row they changed to the end
 * and leave it self-consistent. An anchor is a record of the chain's head — `seq`, `hash`, when —
 * kept OUTSIDE the database and authenticated with a key the database does not hold:
 *
 * - It is one JSON line appended to `AUDIT_ANCHOR_FILE` (default `.data/audit-anchors.jsonl`). In
 *   production that file belongs on storage the database's operators cannot rewrite (another
 *   volume or host, an append-only/WORM bucket, the log shipper); `npm run jobs -- audit-anchor`
 *   also prints each line to its log, which is a second copy.
 * - It carries an HMAC-SHA256 under a key derived (HKDF) from SECRETS_ENCRYPTION_KEY, named by that
 *   key's id, so a forged or edited line is told apart from a real one; lines written under a key
 *   listed in SECRETS_ENCRYPTION_KEY_PREVIOUS still verify after a rotation.
 *
 * `verifyAuditAnchors` then checks every line against the database: an anchored event whose hash
 * differs means the chain was rewritten at or before that seq; an anchored seq that no longer
 * exists means rows were deleted from the end. Anchors are written hourly by the platform's job
 * queue (queue `audit-anchor` in lib/jobs/start-platform-jobs.ts, on every running
 * server; a singleton, so one server takes each run) and on demand by
 * `npm run jobs -- audit-anchor`; `npm run audit:verify` checks them. With several app servers each
 * keeps the anchors it wrote in its own file; every line verifies on its own. Edits after the
 * newest anchor are caught only once the next one is written.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { deriveSecretsSubkey, secretKeyId, secretsEncryptionKeys } from "../crypto/secret-box";
import type { PrismaClient } from "../db/client";
import { env, resolveDataPath, type TEnv } from "../env";

const ANCHOR_VERSION = 1;
const HKDF_INFO = "ichimai/audit-anchor/v1";

export type TAuditAnchorConfig = {
  /** The JSON-lines file anchors are appended to and read from. */
  file: string;
  /** SECRETS_ENCRYPTION_KEY: anchors are written under a key derived from it. */
  key: Uint8Array;
  /** SECRETS_ENCRYPTION_KEY_PREVIOUS: anchors written under these still verify. */
  previousKeys?: Uint8Array[];
};

/** The configuration of this process: AUDIT_ANCHOR_FILE and the secrets keys. */
export function auditAnchorConfig(
  config: Pick<
    TEnv,
    "NODE_ENV" | "AUDIT_ANCHOR_FILE" | "SECRETS_ENCRYPTION_KEY" | "SECRETS_ENCRYPTION_KEY_PREVIOUS"
  > = env(),
): TAuditAnchorConfig {
  const { key, previousKeys } = secretsEncryptionKeys(config);
  return { file: resolveDataPath(config.AUDIT_ANCHOR_FILE), key, previousKeys };
}

export const ZAuditAnchor = z.object({
  v: z.literal(ANCHOR_VERSION),
  /** The anchored event's seq (decimal string: a bigint). */
  seq: z.string().regex(/^[1-9][0-9]{0,18}$/),
  /** That event's hash (lower-case hex SHA-256). */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  /** When the anchor was written (ISO 8601 UTC). */
  at: z.iso.datetime(),
  /** Id of the secrets key the MAC key was derived from (secretKeyId). */
  kid: z.string().regex(/^[0-9a-f]{8}$/),
  /** HMAC-SHA256, base64url. */
  mac: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});
export type TAuditAnchor = z.infer<typeof ZAuditAnchor>;

export type TAuditAnchorProblem =
  | { line: number; reason: "malformed" }
  | { line: number; reason: "key_unknown"; kid: string }
  | { line: number; reason: "mac_invalid"; seq: string }
  | { line: number; reason: "seq_missing"; seq: string }
  | { line: number; reason: "hash_mismatch"; seq: string };

export type TAuditAnchorReport = {
  /** Lines that verified: MAC good and the database still holds the anchored event unchanged. */
  verified: number;
  /** The highest seq among the verified anchors, if any. */
  latestSeq: bigint | null;
  problems: TAuditAnchorProblem[];
};

function anchorMac(secretsKey: Uint8Array, a: Pick<TAuditAnchor, "v" | "seq" | "hash" | "at" | "kid">): string {
  return createHmac("sha256", deriveSecretsSubkey(secretsKey, HKDF_INFO))
    .update(`ichimai-audit-anchor\n${a.v}\n${a.kid}\n${a.seq}\n${a.hash}\n${a.at}`)
    .digest("base64url");
}

async function readAnchorLines(file: string): Promise<string[]> {
  try {
    return (await fs.readFile(file, "utf8")).split("\n");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
}

/** An anchor line is about 230 bytes: the file's last 4 KiB always hold its last whole line. */
const TAIL_BYTES = 4096;

/** The file's last non-empty line, read from its tail only (the file grows by a line an hour). */
async function readLastAnchorLine(file: string): Promise<string | null> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, "r");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer
      .toString("utf8")
      .split("\n")
      .filter((l) => l.trim() !== "");
    // A tail that starts mid-line only matters when it holds a single partial line: not an anchor.
    return lines.length > 0 ? lines[lines.length - 1]! : null;
  } finally {
    await handle.close();
  }
}

/**
 * Append an anchor for the chain's current head, or return null when there is nothing new to
 * anchor (an empty chain, or a head the file's last line already anchors).
 */
export async function writeAuditAnchor(
  prisma: PrismaClient,
  config: TAuditAnchorConfig,
  now: Date = new Date(),
): Promise<TAuditAnchor | null> {
  const head = await prisma.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
  if (!head) return null;
  const lastLine = await readLastAnchorLine(config.file);
  const last = lastLine === null ? null : ZAuditAnchor.safeParse(safeJson(lastLine));
  if (last?.success && last.data.seq === head.seq.toString() && last.data.hash === head.hash) return null;
  const unsigned = {
    v: ANCHOR_VERSION,
    seq: head.seq.toString(),
    hash: head.hash,
    at: now.toISOString(),
    kid: secretKeyId(config.key),
  } as const;
  const anchor: TAuditAnchor = { ...unsigned, mac: anchorMac(config.key, unsigned) };
  await fs.mkdir(path.dirname(config.file), { recursive: true });
  // O_APPEND: concurrent writers (two job servers) each add whole lines, never overwrite.
  await fs.appendFile(config.file, `${JSON.stringify(anchor)}\n`, { encoding: "utf8", flag: "a" });
  return anchor;
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

/** Anchored seqs looked up per query when verifying. */
const LOOKUP_BATCH = 1000;

/**
 * Check every anchor in the file: its MAC under the key its kid names, then the anchored event in
 * the database (looked up in batches). Problems are collected, never thrown, so one report shows
 * all of them, in line order. An absent file is no anchors (verified 0), not an error.
 */
export async function verifyAuditAnchors(
  prisma: PrismaClient,
  config: TAuditAnchorConfig,
): Promise<TAuditAnchorReport> {
  const macKeys = new Map<string, Uint8Array>();
  for (const k of [config.key, ...(config.previousKeys ?? [])]) macKeys.set(secretKeyId(k), k);
  const problems: TAuditAnchorProblem[] = [];
  const authentic: { line: number; anchor: TAuditAnchor }[] = [];
  for (const [i, raw] of (await readAnchorLines(config.file)).entries()) {
    const line = i + 1;
    if (raw.trim() === "") continue;
    const parsed = ZAuditAnchor.safeParse(safeJson(raw));
    if (!parsed.success) {
      problems.push({ line, reason: "malformed" });
      continue;
    }
    const a = parsed.data;
    const key = macKeys.get(a.kid);
    if (!key) {
      problems.push({ line, reason: "key_unknown", kid: a.kid });
      continue;
    }
    const expected = Buffer.from(anchorMac(key, a), "base64url");
    const given = Buffer.from(a.mac, "base64url");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      problems.push({ line, reason: "mac_invalid", seq: a.seq });
      continue;
    }
    authentic.push({ line, anchor: a });
  }

  const report: TAuditAnchorReport = { verified: 0, latestSeq: null, problems };
  for (let from = 0; from < authentic.length; from += LOOKUP_BATCH) {
    const batch = authentic.slice(from, from + LOOKUP_BATCH);
    const events = await prisma.auditEvent.findMany({
      where: { seq: { in: [...new Set(batch.map((b) => BigInt(b.anchor.seq)))] } },
      select: { seq: true, hash: true },
    });
    const hashes = new Map(events.map((e) => [e.seq.toString(), e.hash]));
    for (const { line, anchor } of batch) {
      const hash = hashes.get(anchor.seq);
      if (hash === undefined) problems.push({ line, reason: "seq_missing", seq: anchor.seq });
      else if (hash !== anchor.hash) problems.push({ line, reason: "hash_mismatch", seq: anchor.seq });
      else {
        report.verified += 1;
        const seq = BigInt(anchor.seq);
        if (report.latestSeq === null || seq > report.latestSeq) report.latestSeq = seq;
      }
    }
  }
  problems.sort((a, b) => a.line - b.line);
  return report;
}
