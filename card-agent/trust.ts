/**
 * `npm run agent -- trust`: add the agent's CA to the NSS databases browsers read on Linux, as
 * Fortify does (docs/card-agent-protocol.md#discovery-and-transport): Chromium/Chrome's shared `~/.pki/nssdb`, and each Firefox
 * profile's own database (`~/.mozilla/firefox/<profile>/cert9.db`). The README lists the steps for
 * macOS and Windows.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export const NSS_NICKNAME = "ichimai card agent local CA";

/** The NSS databases to trust the CA in: Chromium's (created if missing) and every Firefox profile's. */
export function nssDatabases(home: string): { name: string; dir: string; create: boolean }[] {
  const dbs = [{ name: "Chromium/Chrome", dir: path.join(home, ".pki", "nssdb"), create: true }];
  const firefox = path.join(home, ".mozilla", "firefox");
  if (existsSync(firefox)) {
    for (const entry of readdirSync(firefox, { withFileTypes: true })) {
      const dir = path.join(firefox, entry.name);
      if (entry.isDirectory() && existsSync(path.join(dir, "cert9.db"))) {
        dbs.push({ name: `Firefox profile ${entry.name}`, dir, create: false });
      }
    }
  }
  return dbs;
}

export function trustAgentCa(caPath: string, home = os.homedir()): number {
  const probe = spawnSync("certutil", ["--help"], { stdio: "ignore" });
  if (probe.error) {
    console.error(`certutil was not found. Install it and run this command again:
  sudo apt-get install libnss3-tools        (Debian/Ubuntu)
Or trust the CA by hand (README "Trusting the agent"):
  CA file: ${caPath}
  Chromium/Chrome on Linux: certutil -d sql:$HOME/.pki/nssdb -A -t "C,," -n "${NSS_NICKNAME}" -i ${caPath}
  Firefox: Settings → Privacy & Security → Certificates → View Certificates → Authorities → Import`);
    return 1;
  }
  let failed = 0;
  for (const db of nssDatabases(home)) {
    if (db.create && !existsSync(path.join(db.dir, "cert9.db"))) {
      mkdirSync(db.dir, { recursive: true });
      // An empty directory needs a database first (no password, like Chrome's own). Never run -N on
      // an existing database: certutil then asks for its password and, with no terminal, loops.
      spawnSync("certutil", ["-d", `sql:${db.dir}`, "-N", "--empty-password"], { stdio: "ignore", timeout: 30_000 });
    }
    spawnSync("certutil", ["-d", `sql:${db.dir}`, "-D", "-n", NSS_NICKNAME], { stdio: "ignore", timeout: 30_000 });
    const r = spawnSync("certutil", ["-d", `sql:${db.dir}`, "-A", "-t", "C,,", "-n", NSS_NICKNAME, "-i", caPath], {
      stdio: ["ignore", "inherit", "inherit"],
      timeout: 30_000,
    });
    if (r.status === 0) console.log(`Trusted ${caPath} for ${db.name} (${db.dir}) as "${NSS_NICKNAME}".`);
    else {
      failed++;
      console.error(`certutil failed for ${db.name} (exit ${r.status}). CA file: ${caPath}`);
    }
  }
  if (failed === 0) console.log("Restart the browser.");
  return failed === 0 ? 0 : 1;
}
