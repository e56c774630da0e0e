/**
 * npm run dev — the portal with demo data and a virtual card to log in with:
 *   validate configuration → start/reuse PostgreSQL and migrate → seed the demo municipality →
 *   start `next dev`. Every failure is one sentence with the fix, never only a stack trace.
 */
import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";
import { databaseReady } from "../lib/db/connection";
import { EnvError, env } from "../lib/env";
import { AppError } from "../lib/errors/app-error";

const children: ChildProcess[] = [];

function fail(message: string): never {
  console.error(`\n✖ ${message}\n`);
  for (const c of children) c.kill("SIGTERM");
  process.exit(1);
}

function portFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

async function main() {
  let config: ReturnType<typeof env>;
  try {
    config = env();
  } catch (e) {
    if (e instanceof EnvError) fail(e.message);
    throw e;
  }
  const portalPort = Number(new URL(config.PORTAL_ORIGIN).port || 3000);
  if (!(await portFree(portalPort))) {
    fail(
      `Port ${portalPort} is already in use. Stop the program using it (lsof -i :${portalPort}) or set PORTAL_ORIGIN to another port, e.g. PORTAL_ORIGIN=http://localhost:3001.`,
    );
  }

  const t0 = performance.now();
  console.log(
    config.DATABASE_URL
      ? "Connecting to PostgreSQL (DATABASE_URL)…"
      : `Starting embedded PostgreSQL in ${config.EMBEDDED_PG_DIR}…`,
  );
  try {
    await databaseReady(config);
  } catch (e) {
    if (e instanceof AppError) fail(e.message);
    throw e;
  }
  console.log(`Database ready and migrated in ${Math.round(performance.now() - t0)} ms.`);

  const next = spawn("./node_modules/.bin/next", ["dev", "-p", String(portalPort)], {
    stdio: "inherit",
    env: {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: "1",
      NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? config.PORTAL_ORIGIN,
    },
  });
  children.push(next);
  next.on("exit", (code) => process.exit(code ?? 0));
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.on(sig, () => {
      for (const c of children) c.kill(sig);
    });
  }
  console.log(`\n  一枚 ichimai → ${config.PORTAL_ORIGIN}\n`);
}

void main();
