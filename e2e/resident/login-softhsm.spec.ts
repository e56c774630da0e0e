import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";
import { E2E_AGENT_PINS, E2E_BASE_URL, E2E_HSM_AGENT_PORT, E2E_ROOT, readCardWorld } from "../fixtures/card";
import { expect, test } from "../fixtures";

// A second test agent, PKCS#11 only, on SoftHSM2 — started here because SoftHSM2 reads its
// token store when the module loads, and the tokens are written by the global set-up.
test.use({ ignoreHTTPSErrors: true });

let agent: ChildProcess | undefined;

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

test.beforeAll(async ({ baseURL }) => {
  const { softhsm } = readCardWorld();
  agent = spawn("./node_modules/.bin/tsx", ["card-agent/main.ts"], {
    cwd: E2E_ROOT,
    stdio: "ignore",
    env: {
      ...process.env,
      NODE_ENV: "test",
      SOFTHSM2_CONF: softhsm.conf,
      CARD_AGENT_PORT: String(E2E_HSM_AGENT_PORT),
      CARD_AGENT_DIR: ".data/e2e-agent-softhsm",
      CARD_AGENT_SOFT: "0",
      CARD_AGENT_PKCS11_LIBRARY: "/usr/lib/softhsm/libsofthsm2.so",
      CARD_AGENT_ALLOWED_ORIGINS: baseURL ?? E2E_BASE_URL,
      CARD_AGENT_TEST_MODE: "1",
      CARD_AGENT_TEST_AUTH_PIN: E2E_AGENT_PINS.auth,
      CARD_AGENT_TEST_SIGN_PIN: E2E_AGENT_PINS.sign,
    },
  });
  // Ready when the agent accepts TCP connections on its port.
  const deadline = Date.now() + 30_000;
  while (!(await listening(E2E_HSM_AGENT_PORT))) {
    if (Date.now() > deadline) throw new Error("the SoftHSM2 test agent did not start");
    await new Promise((r) => setTimeout(r, 300));
  }
});

test.afterAll(() => {
  if (agent?.pid) agent.kill("SIGTERM");
});

test("[LOGIN][SOFTHSM]: a card in SoftHSM2 (PKCS#11 back-end) logs the resident in", async ({ page }) => {
  const { softhsm } = readCardWorld();
  await page.goto(`/login?agent=127.0.0.1:${E2E_HSM_AGENT_PORT}`);
  await page.getByTestId("card-login-start").click();
  await expect(page).toHaveURL(/\/mailbox$/, { timeout: 30_000 });
  const session = (await (await page.request.get("/api/auth/session")).json()) as { user?: { name?: string } };
  expect(session.user?.name).toBe(softhsm.resident.displayName);
});
