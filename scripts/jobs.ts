/**
 * npm run jobs — the background worker: change-verification cycles and webhook deliveries on the
 * PostgreSQL-backed queue (pg-boss), and the e-mail notification outbox when SMTP_URL is set. Run
 * one or more next to the portal servers; `npm run dev` runs the same in its own process.
 */
import "reflect-metadata";
import { startBackgroundJobs } from "../lib/jobs/start-background-jobs";

const started = await startBackgroundJobs();
console.log(`[jobs] started: ${started.join(", ")}`);
