/**
 * npm run jobs — the background worker: change-verification cycles and webhook deliveries on the
 * PostgreSQL-backed queue (pg-boss). Run one or more next to the portal servers; `npm run dev`
 * runs one in its own process.
 */
import "reflect-metadata";
import { startPlatformJobsFromEnv } from "../lib/platform/get-platform-context";

await startPlatformJobsFromEnv();
console.log("[jobs] platform workers started (change checks, webhook deliveries)");
