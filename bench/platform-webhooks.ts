/**
 * Benchmark: webhook deliveries per second.
 *   platform — 3,000 certificate.revoked-sized events queued in the outbox, then drained by
 *              dispatchWebhookDeliveries (SKIP LOCKED claim, Standard Webhooks signing, POST,
 *              attempt log + status update per delivery), 16 requests in flight;
 *   baseline — the same 3,000 signed POSTs with sendWebhook alone (no database), 16 in flight.
 * The receiver is a node:http server in this process answering 204. Embedded PostgreSQL in a
 * temporary directory (or BENCH_DATABASE_URL). Not a test: no assertions.
 *
 * Run: npx tsx bench/platform-webhooks.ts
 */
import "reflect-metadata";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createPrismaClient } from "@/lib/db/client";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { createJlisClient } from "@/lib/jlis/client";
import { DEFAULT_WEBHOOK_SETTINGS, type TPlatformContext } from "@/lib/platform/platform-context";
import { createWebhookEndpoint } from "@/lib/platform/webhooks/create-webhook-endpoint";
import { dispatchWebhookDeliveries } from "@/lib/platform/webhooks/dispatch-webhook-deliveries";
import { enqueueWebhookEvent, newMessageId } from "@/lib/platform/webhooks/enqueue-webhook-event";
import { sendWebhook } from "@/lib/platform/webhooks/send-webhook";
import { seedPartner } from "../prisma/seed/factories";

const N = 3_000;
const CONCURRENCY = 16;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const sample = (i: number) => ({
  watchId: randomUUID(),
  verificationId: randomUUID(),
  certificate: { issuer: "C=JP, O=JPKI, OU=JPKI for digital signature", serialNumber: (0x1000000 + i).toString(16) },
  reason: "affiliationChanged",
  revokedAt: new Date().toISOString(),
  source: "ocsp",
  factsMayHaveChanged: true,
  residentConsented: false,
});

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "platform-webhooks-"));
  let stopPg = async () => {};
  let received = 0;
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      received++;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", () => resolve()));
  const url = `http://127.0.0.1:${(receiver.address() as net.AddressInfo).port}/hooks`;
  try {
    let databaseUrl = process.env.BENCH_DATABASE_URL;
    if (!databaseUrl) {
      const handle = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: await freePort() });
      stopPg = handle.stop;
      databaseUrl = handle.url;
    }
    await migrate(databaseUrl, path.resolve("prisma/migrations"));
    const prisma = createPrismaClient(databaseUrl);
    const ctx: TPlatformContext = {
      prisma,
      signTrustAnchors: [],
      jlis: createJlisClient({ baseUrl: "http://127.0.0.1:9/jlis" }),
      webhooks: { ...DEFAULT_WEBHOOK_SETTINGS, allowHttp: true },
    };
    // A real partner: endpoints, events and deliveries reference it (foreign keys).
    const partnerId = (await seedPartner(prisma, { slug: "bench-webhooks" })).id;
    const { secret } = await createWebhookEndpoint(ctx, { partnerId, mode: "LIVE", request: { url } });

    // Baseline: signing + POST only.
    received = 0;
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < N; i = next++) {
          const body = JSON.stringify({
            type: "certificate.revoked",
            timestamp: new Date().toISOString(),
            data: sample(i),
          });
          const r = await sendWebhook({
            url,
            secret,
            id: newMessageId(),
            body,
            timestamp: new Date(),
            timeoutMs: 10_000,
            allowPrivate: true,
          });
          if (!r.ok) throw new Error(`baseline delivery failed: ${r.error}`);
        }
      }),
    );
    const baseS = (performance.now() - t0) / 1000;
    const baseReceived = received;

    // Platform: outbox rows, then the dispatcher.
    const tq = performance.now();
    for (let i = 0; i < N; i += 500) {
      await prisma.$transaction(async (tx) => {
        for (let j = i; j < Math.min(i + 500, N); j++) {
          await enqueueWebhookEvent(tx, {
            partnerId,
            mode: "LIVE",
            type: "certificate.revoked",
            data: sample(j),
            now: new Date(),
          });
        }
      });
    }
    const queueS = (performance.now() - tq) / 1000;
    received = 0;
    const t1 = performance.now();
    let delivered = 0;
    for (;;) {
      const r = await dispatchWebhookDeliveries(ctx, { limit: 200, concurrency: CONCURRENCY });
      delivered += r.delivered;
      if (r.claimed === 0) break;
    }
    const platS = (performance.now() - t1) / 1000;
    await prisma.$disconnect();

    console.log(
      `baseline (sign + POST, ${CONCURRENCY} in flight):      ${(N / baseS).toFixed(0)} deliveries/s (${baseReceived} in ${baseS.toFixed(2)} s)`,
    );
    console.log(
      `platform dispatcher (claim + sign + POST + log): ${(delivered / platS).toFixed(0)} deliveries/s (${delivered} in ${platS.toFixed(2)} s; receiver saw ${received})`,
    );
    console.log(`queueing ${N} events in the outbox: ${(N / queueS).toFixed(0)} events/s`);
    console.log(`ratio platform / baseline: ${(delivered / platS / (N / baseS)).toFixed(2)}`);
  } finally {
    receiver.close();
    await stopPg();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
