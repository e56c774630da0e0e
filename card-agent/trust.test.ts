import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ensureAgentTls } from "./tls";
import { NSS_NICKNAME, trustAgentCa } from "./trust";

const home = mkdtempSync(path.join(os.tmpdir(), "agent-trust-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

function listed(dir: string): string {
  return spawnSync("certutil", ["-d", `sql:${dir}`, "-L"], { encoding: "utf8" }).stdout;
}

describe("npm run agent -- trust", () => {
  it("adds the agent CA as a trusted authority to Chromium's NSS database and to every Firefox profile", async () => {
    const tls = await ensureAgentTls(path.join(home, "agent"));
    const profile = path.join(home, ".mozilla", "firefox", "abcd1234.default-release");
    mkdirSync(profile, { recursive: true });
    spawnSync("certutil", ["-d", `sql:${profile}`, "-N", "--empty-password"]);

    expect(trustAgentCa(tls.caPath, home)).toBe(0);
    for (const dir of [path.join(home, ".pki", "nssdb"), profile]) {
      const line = listed(dir)
        .split("\n")
        .find((l) => l.startsWith(NSS_NICKNAME));
      expect(line).toMatch(/C,,\s*$/);
    }
    // Running it again replaces the entry rather than failing or duplicating it.
    expect(trustAgentCa(tls.caPath, home)).toBe(0);
    expect(listed(path.join(home, ".pki", "nssdb")).split(NSS_NICKNAME).length - 1).toBe(1);
  });
});
