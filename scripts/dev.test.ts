import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

/** Runs `npm run dev`'s script and returns its exit code and output; it must fail before serving. */
function dev(env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "scripts/dev.ts"],
      { env: { ...process.env, NODE_ENV: "development", ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` });
      },
    );
  });
}

describe("npm run dev refuses to start with one clear sentence", () => {
  it("names a bad environment variable", async () => {
    const r = await dev({ PORTAL_ORIGIN: "not a url", EMBEDDED_PG_PORT: "99999" });
    expect(r.code).toBe(1);
    expect(r.output).toContain('PORTAL_ORIGIN="not a url"');
    expect(r.output).toContain('EMBEDDED_PG_PORT="99999"');
    expect(r.output).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/); // no stack trace
  });

  it("says the portal port is in use and how to fix it", async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as net.AddressInfo;
    try {
      const r = await dev({ PORTAL_ORIGIN: `http://localhost:${port}` });
      expect(r.code).toBe(1);
      expect(r.output).toContain(`Port ${port} is already in use`);
      expect(r.output).toContain("PORTAL_ORIGIN");
    } finally {
      server.close();
    }
  });

  it("says an external DATABASE_URL is unreachable and how to fix it", async () => {
    const r = await dev({ PORTAL_ORIGIN: "http://localhost:1", DATABASE_URL: "postgresql://x:y@127.0.0.1:1/none" });
    expect(r.code).toBe(1);
    expect(r.output).toContain("Cannot reach the PostgreSQL server at 127.0.0.1:1/none");
    expect(r.output).toContain("unset DATABASE_URL");
    expect(r.output).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
  });

  it("says the embedded data directory cannot be created", async () => {
    const root = await mkdtemp(path.join(tmpdir(), "dev-ro-"));
    try {
      // A path below a regular file cannot be created by anyone, root included.
      await writeFile(path.join(root, "file"), "");
      const r = await dev({
        PORTAL_ORIGIN: "http://localhost:1",
        DATABASE_URL: "",
        EMBEDDED_PG_DIR: path.join(root, "file", "pg"),
      });
      expect(r.code).toBe(1);
      expect(r.output).toContain("cannot be created");
      expect(r.output).toContain("EMBEDDED_PG_DIR");
      expect(r.output).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
