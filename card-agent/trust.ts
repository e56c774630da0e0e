/**
 * `npm run agent -- trust`: add the agent's CA to the NSS database Chromium and Chrome use on Linux
 * (`~/.pki/nssdb`), as Fortify does (WEBCRYPTO-SOCKET.md §1). Firefox keeps one NSS database per
 * profile; the README lists the steps for it and for macOS/Windows.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export const NSS_NICKNAME = "ichimai card agent local CA";

export function trustAgentCa(caPath: string): number {
  const nssDir = path.join(os.homedir(), ".pki", "nssdb");
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
  mkdirSync(nssDir, { recursive: true });
  // An empty directory needs a database first (no password, like Chrome's own).
  spawnSync("certutil", ["-d", `sql:${nssDir}`, "-N", "--empty-password"], { stdio: "ignore" });
  spawnSync("certutil", ["-d", `sql:${nssDir}`, "-D", "-n", NSS_NICKNAME], { stdio: "ignore" });
  const r = spawnSync("certutil", ["-d", `sql:${nssDir}`, "-A", "-t", "C,,", "-n", NSS_NICKNAME, "-i", caPath], {
    stdio: "inherit",
  });
  if (r.status !== 0) {
    console.error(`certutil failed (exit ${r.status}). CA file: ${caPath}`);
    return 1;
  }
  console.log(`Trusted ${caPath} in ${nssDir} as "${NSS_NICKNAME}". Restart the browser.`);
  return 0;
}
