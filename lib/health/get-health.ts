import { getRuntime } from "../runtime/runtime";
import { createLog, errorFields } from "../log/logger";

export type THealth = {
  status: "ok" | "degraded";
  app: { version: string; uptimeSeconds: number };
  database: { status: "ok" | "unavailable"; embedded?: boolean; latencyMs?: number; error?: string };
};

/** Application and database status for /api/health. Never throws. */
export async function getHealth(version: string): Promise<THealth> {
  const app = { version, uptimeSeconds: Math.round(process.uptime()) };
  const started = performance.now();
  try {
    const runtime = getRuntime();
    const { embedded } = await runtime.database();
    const db = await runtime.db();
    await db.$queryRaw`SELECT 1`;
    return {
      status: "ok",
      app,
      database: { status: "ok", embedded, latencyMs: Math.round(performance.now() - started) },
    };
  } catch (e) {
    createLog("health").warn(errorFields(e), "database unavailable");
    return { status: "degraded", app, database: { status: "unavailable", error: (e as Error).message } };
  }
}
