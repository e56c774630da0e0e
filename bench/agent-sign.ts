/**
 * Benchmark: card-agent sign round trip through the real `@webcrypto-local/client` (ratchet-
 * encrypted WSS, dispatcher, soft token) — p50 and p95 — against the baseline of the same RSA-2048
 * signature made directly with WebCrypto in this process. Not a test: it prints figures only.
 *   npx tsx bench/agent-sign.ts [--rounds 300]
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startAgent } from "../card-agent/server";
import { makeCardFixture } from "../card-agent/test/card-fixture";
import { connectClient, installBrowserLikeFetch } from "../card-agent/test/client-harness";
import { SoftBackend } from "../card-agent/tokens/soft-backend";
import { writeVirtualCard } from "../card-agent/tokens/virtual-card";

const rounds = Number(process.argv[process.argv.indexOf("--rounds") + 1] ?? 300) || 300;
const ORIGIN = "http://localhost:3000";

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const root = await mkdtemp(path.join(tmpdir(), "bench-agent-"));
const fx = await makeCardFixture();
const cardsDir = path.join(root, "cards");
await writeVirtualCard(path.join(cardsDir, "card.json"), {
  label: "JPKIAPICCTOKEN2",
  tokenType: "card",
  auth: { ...fx.auth, pin: "1234" },
  sign: { ...fx.sign, pin: "ABC123" },
});
const agent = await startAgent({
  host: "127.0.0.1",
  port: 0,
  dataDir: path.join(root, "agent"),
  allowedOrigins: [ORIGIN],
  testMode: true,
  testPins: { auth: "1234", sign: "ABC123" },
  backends: [new SoftBackend(cardsDir, () => undefined)],
  log: () => undefined,
});
installBrowserLikeFetch(agent.caPem, ORIGIN);
const { provider } = await connectClient(agent.port, agent.caPem, ORIGIN);
await provider.login();
const info = await provider.info();
const auth = info.providers.find((p) => p.token?.label === "JPKI (User Authentication PIN)");
if (!auth) throw new Error("the soft card did not appear as a JPKI provider");
const crypto = await provider.getCrypto(auth.id);
await crypto.login();
const certIndex = (await crypto.certStorage.keys()).find((k) => k.startsWith("x509") && k.endsWith("-01"))!;
const key = await crypto.certStorage.findPrivateKey(await crypto.certStorage.getItem(certIndex));
if (!key) throw new Error("no private key paired with the auth certificate");
const data = new Uint8Array(64).fill(7);

const timeIt = async (fn: () => Promise<unknown>) => {
  const times: number[] = [];
  for (let i = 0; i < 20; i++) await fn(); // warm-up
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b);
};
const viaAgent = await timeIt(() => crypto.subtle.sign({ name: "RSASSA-PKCS1-v1_5" }, key, data));
const direct = await timeIt(() => globalThis.crypto.subtle.sign("RSASSA-PKCS1-v1_5", fx.auth.privateKey, data));

const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
console.log(
  `agent sign round trip (${rounds} rounds): p50 ${fmt(percentile(viaAgent, 50))}, p95 ${fmt(percentile(viaAgent, 95))}`,
);
console.log(
  `baseline direct WebCrypto RSA-2048 sign: p50 ${fmt(percentile(direct, 50))}, p95 ${fmt(percentile(direct, 95))}`,
);
console.log(`ratio agent/direct p50: ${(percentile(viaAgent, 50) / percentile(direct, 50)).toFixed(2)}×`);
provider.close();
await agent.close();
await rm(root, { recursive: true, force: true });
process.exit(0);
