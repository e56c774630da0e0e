import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import {
  E2E_AGENT_DIR,
  E2E_AGENT_PINS,
  E2E_AGENT_PORT,
  E2E_BASE_URL,
  E2E_PG_PORT,
  E2E_PORT,
  E2E_CARDS_DIR,
  E2E_JLIS_DIR,
  E2E_TOWN_SIGNER_DIR,
  E2E_VERIFIER,
} from "./fixtures/card";

/**
 * e2e against the real production server (`next start`, after `next build`) on a throw-away
 * embedded PostgreSQL, driven by Debian's Chromium (Playwright's browser download is not
 * reachable here). One worker: the machine has two cores and the server is shared.
 */
const PORT = E2E_PORT;
const BASE_URL = E2E_BASE_URL;
const root = path.resolve(import.meta.dirname, "..");
/**
 * `next start` runs with NODE_ENV=production, which needs a secrets key. Specs write webhook
 * endpoints from the test process too, so the key is set here for both the server and the
 * workers (which load this file as well).
 */
const E2E_SECRETS_ENCRYPTION_KEY = Buffer.alloc(32, "ichimai-e2e").toString("base64");
process.env.SECRETS_ENCRYPTION_KEY = E2E_SECRETS_ENCRYPTION_KEY;

/**
 * Video needs Playwright's own ffmpeg build, which `npx playwright install ffmpeg` downloads from
 * Playwright's CDN (not reachable here). Without it every test would fail at newPage, so video
 * is kept on failure only where that binary exists; traces (no ffmpeg needed) are always kept.
 */
function hasPlaywrightFfmpeg(): boolean {
  const registry = process.env.PLAYWRIGHT_BROWSERS_PATH || path.join(os.homedir(), ".cache", "ms-playwright");
  try {
    return fs
      .readdirSync(registry)
      .some((d) => d.startsWith("ffmpeg-") && fs.existsSync(path.join(registry, d, "ffmpeg-linux")));
  } catch {
    return false;
  }
}

const chromium = {
  ...devices["Desktop Chrome"],
  launchOptions: {
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  },
};

/** One project per audience folder (convention 19, docs/architecture.md#conventions); e2e/agent belongs to the card-agent suite. */
const audiences = [
  "public",
  "resident",
  "admin",
  "partner",
  "partner-api",
  "tv",
  "terminal",
  "services",
  "disaster",
  "reports",
  "sso",
  "a11y",
] as const;

export default defineConfig({
  testDir: ".",
  outputDir: path.join(root, "test-results"),
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["json", { outputFile: path.join(root, "reports/playwright.json") }]],
  use: {
    baseURL: BASE_URL,
    locale: "ja-JP",
    timezoneId: "Asia/Tokyo",
    trace: "retain-on-failure",
    video: hasPlaywrightFfmpeg() ? "retain-on-failure" : "off",
    screenshot: "only-on-failure",
  },
  projects: [
    ...audiences.map((name) => ({ name, testDir: `./${name}`, use: chromium })),
    { name: "agent", testDir: "./agent", use: chromium },
  ],
  // Card login (e2e/fixtures/card-world.ts): simulated J-LIS, demo cards and the test agent.
  globalSetup: "./fixtures/card-world.ts",
  webServer: [
    {
      // Reset the data dir here, not in globalSetup: Playwright starts webServer first (docs/stack.md#tests).
      command: `rm -rf .data/e2e-pg .data/e2e-jlis && exec ./node_modules/.bin/next start -p ${PORT} -H 127.0.0.1`,
      cwd: root,
      url: `${BASE_URL}/api/health`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      env: {
        NEXT_TELEMETRY_DISABLED: "1",
        EMBEDDED_PG_DIR: ".data/e2e-pg",
        EMBEDDED_PG_PORT: String(E2E_PG_PORT),
        DATABASE_URL: "",
        PORTAL_ORIGIN: BASE_URL,
        NEXTAUTH_URL: BASE_URL,
        NEXTAUTH_SECRET: "e2e-secret-0123456789abcdef",
        OIDC_PAIRWISE_SALT: "e2e-pairwise-salt-0123456789abcdef",
        SECRETS_ENCRYPTION_KEY: E2E_SECRETS_ENCRYPTION_KEY,
        // Webhook receivers of the specs listen on 127.0.0.1 (registration stays https-only).
        PLATFORM_WEBHOOK_ALLOW_PRIVATE: "1",
        JLIS_DATA_DIR: E2E_JLIS_DIR,
        JLIS_VERIFIER_ID: E2E_VERIFIER.id,
        JLIS_VERIFIER_SECRET: E2E_VERIFIER.secret,
        TOWN_SIGNER_DIR: E2E_TOWN_SIGNER_DIR,
        // The simulated J-LIS writes a re-issued signing key onto the holder's virtual card (a move), with the agent's PIN.
        CARD_AGENT_CARDS_DIR: E2E_CARDS_DIR,
        CARD_AGENT_TEST_SIGN_PIN: E2E_AGENT_PINS.sign,
        // Every spec logs in from 127.0.0.1 on one server: the card-login rate limits
        // (lib/auth/login-rate-limits.ts) × 100, so they never refuse a test.
        LOGIN_RATE_LIMIT_FACTOR: "100",
        // The server's JSON log lines would drown the test output; warnings and errors still show.
        LOG_LEVEL: "warn",
      },
    },
    {
      // The card agent in its UNSAFE test mode (auto-approved pairing, PINs from the env).
      command: `rm -rf ${E2E_AGENT_DIR} ${E2E_CARDS_DIR} && exec ./node_modules/.bin/tsx card-agent/main.ts`,
      cwd: root,
      url: `https://127.0.0.1:${E2E_AGENT_PORT}/.well-known/webcrypto-socket`,
      ignoreHTTPSErrors: true,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      env: {
        NODE_ENV: "test",
        CARD_AGENT_PORT: String(E2E_AGENT_PORT),
        CARD_AGENT_DIR: E2E_AGENT_DIR,
        CARD_AGENT_CARDS_DIR: E2E_CARDS_DIR,
        CARD_AGENT_ALLOWED_ORIGINS: BASE_URL,
        CARD_AGENT_TEST_MODE: "1",
        CARD_AGENT_TEST_AUTH_PIN: E2E_AGENT_PINS.auth,
        CARD_AGENT_TEST_SIGN_PIN: E2E_AGENT_PINS.sign,
      },
    },
  ],
});
