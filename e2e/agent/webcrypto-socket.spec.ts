/**
 * [AGENT] Browser contract test: the unchanged client build (`webcrypto-socket.js` IIFE +
 * protobufjs, docs/card-agent-protocol.md#browser-and-node-clients route (a)) in real Chromium against the card agent with a
 * soft virtual card, in the agent's (unsafe) test mode. Needs no portal: the page is served by a
 * throw-away HTTP server on 127.0.0.1, whose origin is the only one the agent allows.
 */
import "reflect-metadata";
import { createPublicKey, verify, X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { startAgent, type TRunningAgent } from "../../card-agent/server";
import { makeCardFixture, type TCardFixture } from "../../card-agent/test/card-fixture";
import { SoftBackend } from "../../card-agent/tokens/soft-backend";
import { writeVirtualCard } from "../../card-agent/tokens/virtual-card";

const root = path.resolve(import.meta.dirname, "../..");
const assets: Record<string, string> = {
  "/protobuf.min.js": path.join(root, "node_modules/protobufjs/dist/protobuf.min.js"),
  "/webcrypto-socket.js": path.join(root, "node_modules/@webcrypto-local/client/build/webcrypto-socket.js"),
};

let pageServer: Server;
let pageOrigin: string;
let agent: TRunningAgent;
let fx: TCardFixture;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  pageServer = createServer((req, res) => {
    const file = assets[req.url ?? ""];
    if (file) {
      res.writeHead(200, { "content-type": "text/javascript" });
      return res.end(readFileSync(file));
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><title>agent contract</title>
<script src="/protobuf.min.js"></script><script src="/webcrypto-socket.js"></script>`);
  });
  await new Promise<void>((r) => pageServer.listen(0, "127.0.0.1", () => r()));
  pageOrigin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;

  const dir = mkdtempSync(path.join(os.tmpdir(), "ichimai-e2e-agent-"));
  fx = await makeCardFixture();
  await writeVirtualCard(path.join(dir, "cards", "taro.json"), {
    label: "JPKIAPICCTOKEN2",
    tokenType: "card",
    displayName: "taro",
    auth: { ...fx.auth, pin: "1234" },
    sign: { ...fx.sign, pin: "ABC123" },
  });
  agent = await startAgent({
    host: "127.0.0.1",
    port: 0,
    dataDir: path.join(dir, "agent"),
    allowedOrigins: [pageOrigin],
    testMode: true,
    testPins: { auth: "1234", sign: "XYZ999" },
    backends: [new SoftBackend(path.join(dir, "cards"))],
    log: () => undefined,
  });
});

test.afterAll(async () => {
  await agent?.close();
  await new Promise<void>((r) => (pageServer ? pageServer.close(() => r()) : r()));
});

test("[AGENT] pairs, reads the auth certificate, logs in and signs in Chromium", async ({ browser }) => {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  await page.goto(pageOrigin);
  const data = "hash(origin) || hash(nonce)";
  const out = await page.evaluate(
    async ({ address, data }) => {
      // biome-ignore lint/suspicious/noExplicitAny: the IIFE global has no types inside the page
      type TAny = any;
      const ws = (window as unknown as { WebcryptoSocket: TAny }).WebcryptoSocket;
      const provider = new ws.SocketProvider({ storage: await ws.BrowserStorage.create() });
      await new Promise<void>((resolve, reject) =>
        provider.connect(address).on("listening", resolve).on("error", reject),
      );
      const before = await provider.isLoggedIn();
      if (!before) await provider.login();
      const info = await provider.info();
      const p = info.providers.find((x: TAny) => x.token?.label === "JPKI (User Authentication PIN)");
      const crypto = await provider.getCrypto(p.id);
      const certIndex = (await crypto.certStorage.keys()).find((k: string) => k.endsWith("-01"));
      const cert = new Uint8Array(await crypto.certStorage.getValue(certIndex));
      if (!(await crypto.isLoggedIn())) await crypto.login();
      const keyIndex = (await crypto.keyStorage.keys()).find(
        (k: string) => k.startsWith("private-") && k.endsWith("-01"),
      );
      const key = await crypto.keyStorage.getItem(keyIndex, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, [
        "sign",
      ]);
      const sig = new Uint8Array(
        await crypto.subtle.sign({ name: "RSASSA-PKCS1-v1_5" }, key, new TextEncoder().encode(data)),
      );
      let unknownCode = 0;
      try {
        // crypto/subtle/generateKey is not implemented: the agent must answer 201, not hang.
        await crypto.subtle.generateKey({ name: "AES-GCM", length: 128 }, false, ["encrypt"]);
      } catch (e) {
        unknownCode = (e as { code: number }).code;
      }
      const b64 = (u: Uint8Array) => btoa(String.fromCharCode(...u));
      return { before, cert: b64(cert), sig: b64(sig), unknownCode, challenge: await provider.challenge() };
    },
    { address: `127.0.0.1:${agent.port}`, data },
  );
  expect(out.before).toBe(false);
  expect(out.challenge).toMatch(/^\d{6}$/);
  expect(Buffer.from(out.cert, "base64")).toEqual(Buffer.from(fx.auth.certificate));
  const pub = createPublicKey(
    new X509Certificate(fx.auth.certificate).publicKey.export({ format: "pem", type: "spki" }),
  );
  expect(verify("sha256", Buffer.from(data), pub, Buffer.from(out.sig, "base64"))).toBe(true);
  expect(out.unknownCode).toBe(201);
  await context.close();
});

test("[AGENT] wrong signing PINs count down to a lock in Chromium", async ({ browser }) => {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  await page.goto(pageOrigin);
  const messages = await page.evaluate(async (address) => {
    // biome-ignore lint/suspicious/noExplicitAny: the IIFE global has no types inside the page
    type TAny = any;
    const ws = (window as unknown as { WebcryptoSocket: TAny }).WebcryptoSocket;
    const provider = new ws.SocketProvider({ storage: await ws.BrowserStorage.create() });
    await new Promise<void>((resolve, reject) =>
      provider.connect(address).on("listening", resolve).on("error", reject),
    );
    if (!(await provider.isLoggedIn())) await provider.login();
    const info = await provider.info();
    const p = info.providers.find((x: TAny) => x.token?.label === "JPKI (Digital Signature PIN)");
    const crypto = await provider.getCrypto(p.id);
    const out: string[] = [];
    for (let i = 0; i < 6; i++) {
      try {
        await crypto.login();
        out.push("ok");
      } catch (e) {
        out.push((e as Error).message);
      }
    }
    return out;
  }, `127.0.0.1:${agent.port}`);
  expect(messages.slice(0, 4)).toEqual([4, 3, 2, 1].map((n) => `CKR_PIN_INCORRECT: triesLeft=${n}`));
  expect(messages[4]).toContain("CKR_PIN_LOCKED");
  expect(messages[5]).toContain("CKR_PIN_LOCKED");
  await context.close();
});
