/**
 * npm run jobs — the background worker: change-verification cycles, webhook deliveries and the
 * daily housekeeping on the PostgreSQL-backed queue (pg-boss), and the e-mail notification outbox
 * when SMTP_URL is set. Run one or more next to the portal servers; `npm run dev` runs the same in
 * its own process.
 * npm run jobs -- housekeeping — run the retention deletes once (lib/jobs/housekeeping.ts) and exit.
 * npm run jobs -- audit-anchor — append an anchor of the audit chain's head to AUDIT_ANCHOR_FILE
 * (lib/audit/audit-anchor.ts) now; the running server's job queue also writes one every hour.
 * npm run audit:verify checks the anchors.
 * npm run jobs -- reseal-secrets — re-seal every webhook signing secret under the current
 * SECRETS_ENCRYPTION_KEY once (what each start does) and exit; exit code 1 when some row opens with
 * no configured key. Run it before removing a key from SECRETS_ENCRYPTION_KEY_PREVIOUS. It also
 * counts the partner API credentials whose secret digest is not yet under the current key: those
 * are re-digested only by their next successful use (lib/partners/api-secret-digest.ts).
 */
import "reflect-metadata";
import { writeAuditAnchor } from "../lib/audit/audit-anchor";
import { runHousekeeping } from "../lib/jobs/housekeeping";
import { startBackgroundJobs } from "../lib/jobs/start-background-jobs";
import { countStaleApiSecretDigests } from "../lib/partners/count-stale-api-secret-digests";
import { DEFAULT_WEBHOOK_SETTINGS } from "../lib/platform/platform-context";
import { resealWebhookSecrets } from "../lib/platform/webhooks/webhook-secret";
import { getRuntime } from "../lib/runtime/runtime";

const runtime = getRuntime();

if (process.argv[2] === "housekeeping") {
  const prisma = await runtime.db();
  console.log("[jobs] housekeeping deleted", await runHousekeeping(prisma));
  await prisma.$disconnect();
} else if (process.argv[2] === "audit-anchor") {
  const prisma = await runtime.db();
  const anchor = await writeAuditAnchor(prisma, runtime.auditAnchors());
  console.log(anchor ? `[jobs] audit anchor ${JSON.stringify(anchor)}` : "[jobs] audit anchor: nothing new to anchor");
  await prisma.$disconnect();
} else if (process.argv[2] === "reseal-secrets") {
  const prisma = await runtime.db();
  const { key, previousKeys } = runtime.secretsKeys();
  const result = await resealWebhookSecrets({
    prisma,
    webhooks: { ...DEFAULT_WEBHOOK_SETTINGS, secretsKey: key, previousSecretsKeys: previousKeys },
  });
  console.log(`[jobs] re-sealed ${result.resealed} webhook signing secret(s) under the current key`);
  if (result.unreadable.length > 0) {
    console.error(`[jobs] SECRET_UNREADABLE with every configured key: endpoints ${result.unreadable.join(", ")}`);
    process.exitCode = 1;
  }
  const stale = await countStaleApiSecretDigests(prisma, { keys: { key, previousKeys } });
  console.log(
    `[jobs] partner API credentials not yet under the current key: ${stale.otherKey} under an earlier key, ${stale.legacyScrypt} legacy scrypt (each is re-digested on its next successful use; those under a key removed from SECRETS_ENCRYPTION_KEY_PREVIOUS stop working)`,
  );
  await prisma.$disconnect();
} else {
  const started = await startBackgroundJobs(runtime);
  console.log(`[jobs] started: ${started.join(", ")}`);
}
