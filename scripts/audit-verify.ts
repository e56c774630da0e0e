/**
 * npm run audit:verify (npx tsx scripts/audit-verify.ts) — verify the audit log's hash chain
 * (lib/audit/verify-audit-chain.ts) in the configured database, then the anchors of its head kept
 * in AUDIT_ANCHOR_FILE (lib/audit/audit-anchor.ts, written by `npm run jobs -- audit-anchor`).
 * Prints `OK: <n> events, head <hash>`, one `ANCHOR BROKEN at line …` per bad anchor and
 * `anchors: <n> verified, latest seq <seq|none>`; exits 0 when both hold, 1 otherwise. A broken
 * chain prints `BROKEN at seq <n> (<reason>) …` and exits 1. A chain re-hashed to its end by
 * someone with database write access is self-consistent: only the anchors catch it.
 */
import { verifyAuditAnchors } from "../lib/audit/audit-anchor";
import { verifyAuditChain } from "../lib/audit/verify-audit-chain";
import { MIGRATIONS_DIR } from "../lib/db/connection";
import { startEmbeddedPostgres } from "../lib/db/embedded";
import { migrate } from "../lib/db/migrate";
import { EnvError, env, resolveDataPath } from "../lib/env";
import { AppError } from "../lib/errors/app-error";
import { createRuntime } from "../lib/runtime/runtime";

const REASONS = {
  hash_mismatch: "the row's contents do not match its hash: it was edited",
  prev_hash_mismatch: "prevHash does not match the previous row's hash: rows were edited, inserted or re-hashed",
  gap: "this seq is missing: a row was deleted",
} as const;

async function main(): Promise<number> {
  const config = env();
  const embedded = config.DATABASE_URL
    ? null
    : await startEmbeddedPostgres({ dataDir: resolveDataPath(config.EMBEDDED_PG_DIR), port: config.EMBEDDED_PG_PORT });
  const url = config.DATABASE_URL ?? embedded!.url;
  // This command's runtime (lib/runtime) on the database it started or reached.
  const runtime = createRuntime({ config, database: async () => ({ url, embedded: embedded !== null }) });
  try {
    const prisma = await runtime.db();
    await migrate(url, MIGRATIONS_DIR);
    const report = await verifyAuditChain(prisma);
    if (report.ok) {
      console.log(`OK: ${report.count} events, head ${report.headHash}`);
      // A chain re-hashed to its end is self-consistent: the anchors kept outside the database catch it.
      const anchors = await verifyAuditAnchors(prisma, runtime.auditAnchors());
      for (const p of anchors.problems) console.log(`ANCHOR BROKEN at line ${p.line}: ${JSON.stringify(p)}`);
      console.log(`anchors: ${anchors.verified} verified, latest seq ${anchors.latestSeq ?? "none"}`);
      return anchors.problems.length === 0 ? 0 : 1;
    }
    console.log(
      `BROKEN at seq ${report.brokenSeq} (${report.reason}): ${REASONS[report.reason]}. ${report.count} events before it verify.`,
    );
    return 1;
  } finally {
    await runtime.close();
    await embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof AppError || e instanceof EnvError ? `✖ ${e.message}` : e);
    process.exit(2);
  },
);
