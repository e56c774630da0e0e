/**
 * npm run jobs — the background worker: change-verification cycles, webhook deliveries and the
 * daily housekeeping on the PostgreSQL-backed queue (pg-boss), and the e-mail notification outbox
 * when SMTP_URL is set. Run one or more next to the portal servers; `npm run dev` runs the same in
 * its own process.
 * npm run jobs -- housekeeping — run the retention deletes once (lib/jobs/housekeeping.ts) and exit.
 */
import "reflect-metadata";
import { getDb } from "../lib/db/client";
import { runHousekeeping } from "../lib/jobs/housekeeping";
import { startBackgroundJobs } from "../lib/jobs/start-background-jobs";

if (process.argv[2] === "housekeeping") {
  const prisma = await getDb();
  console.log("[jobs] housekeeping deleted", await runHousekeeping(prisma));
  await prisma.$disconnect();
} else {
  const started = await startBackgroundJobs();
  console.log(`[jobs] started: ${started.join(", ")}`);
}
