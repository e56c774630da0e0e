/**
 * Benchmark: `npm run dev` until the home page answers 200.
 *   cold — the embedded PostgreSQL initialised from nothing (fresh data directory);
 *   warm — the same data directory again (already initialised, migrated and seeded).
 * Prints both, and the cold figure against the 30 s goal. Not a test: no assertions.
 * `--clean-next` also removes .next first (a truly fresh checkout; slower, disturbs other builds).
 */
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import net from "node:net";

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function startOnce(dataDir: string): Promise<number> {
  const [port, pgPort] = [await freePort(), await freePort()];
  const started = performance.now();
  const child = spawn("npx", ["tsx", "scripts/dev.ts"], {
    env: {
      ...process.env,
      PORTAL_ORIGIN: `http://localhost:${port}`,
      EMBEDDED_PG_DIR: dataDir,
      EMBEDDED_PG_PORT: String(pgPort),
      DATABASE_URL: "",
    },
    stdio: "ignore",
    detached: true,
  });
  try {
    const deadline = started + 180_000;
    while (performance.now() < deadline) {
      try {
        const res = await fetch(`http://localhost:${port}/`);
        if (res.status === 200) return (performance.now() - started) / 1000;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error("the home page did not answer 200 within 180 s");
  } finally {
    if (child.pid) process.kill(-child.pid, "SIGTERM");
    await new Promise((r) => setTimeout(r, 3000));
  }
}

const dataDir = `.data/bench-dev-pg-${process.pid}`;
if (process.argv.includes("--clean-next")) rmSync(".next", { recursive: true, force: true });
rmSync(dataDir, { recursive: true, force: true });
const cold = await startOnce(dataDir);
const warm = await startOnce(dataDir);
rmSync(dataDir, { recursive: true, force: true });
console.log(`dev start cold (new PostgreSQL data dir): ${cold.toFixed(1)} s`);
console.log(`dev start warm (existing data dir):       ${warm.toFixed(1)} s`);
console.log(`cold / warm ratio: ${(cold / warm).toFixed(2)}`);
console.log(`cold / goal (30 s): ${(cold / 30).toFixed(2)} (≤ 1.00 meets the goal)`);
