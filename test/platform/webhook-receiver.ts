/**
 * A real webhook receiver for tests: node:http on 127.0.0.1, port 0. It verifies every request
 * with the reference Standard Webhooks verifier (`standardwebhooks`), records what arrived and
 * answers with a programmable status (or hangs, to test timeouts).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export type TReceived = {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  /** The payload as the verifier returned it; undefined when verification failed. */
  verified?: { type: string; timestamp: string; data: Record<string, unknown> };
  verifyError?: string;
};

export type TWebhookReceiver = {
  url: string;
  received: TReceived[];
  /** Set the secret (after the endpoint was created: the platform generates it). */
  setSecret(secret: string): void;
  /** The status to answer per request (index = request number from 0); default 204. "hang" never answers. */
  respond: (n: number) => number | "hang";
  /** Forget what arrived, restart the request count, and answer with `respond` from now on. */
  reset(respond?: (n: number) => number | "hang"): void;
  /** Resolves when `count` verified requests arrived (or rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<TReceived[]>;
  close(): Promise<void>;
};

export async function startWebhookReceiver(): Promise<TWebhookReceiver> {
  let verifier: Webhook | undefined;
  const received: TReceived[] = [];
  let n = 0;
  const receiver: TWebhookReceiver = {
    url: "",
    received,
    setSecret: (secret) => {
      verifier = new Webhook(secret);
    },
    respond: () => 204,
    reset(respond = () => 204) {
      received.length = 0;
      n = 0;
      receiver.respond = respond;
    },
    async waitFor(count, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (received.filter((r) => r.verified).length < count) {
        if (Date.now() > until) throw new Error(`receiver got ${received.length} requests, wanted ${count} verified`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return received.filter((r) => r.verified);
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = {
        "webhook-id": String(req.headers["webhook-id"] ?? ""),
        "webhook-timestamp": String(req.headers["webhook-timestamp"] ?? ""),
        "webhook-signature": String(req.headers["webhook-signature"] ?? ""),
      };
      const entry: TReceived = {
        id: headers["webhook-id"],
        timestamp: headers["webhook-timestamp"],
        signature: headers["webhook-signature"],
        body,
      };
      try {
        if (!verifier) throw new Error("no secret set");
        entry.verified = verifier.verify(body, headers) as TReceived["verified"];
      } catch (e) {
        entry.verifyError = e instanceof Error ? e.message : String(e);
      }
      const answer = receiver.respond(n++);
      if (answer === "hang") return;
      received.push(entry);
      res.writeHead(entry.verified ? answer : 400);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/ichimai`;
  return receiver;
}

/** A URL on 127.0.0.1 where nothing listens (a port taken and released). */
export async function unreachableUrl(): Promise<string> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", () => resolve()));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return `http://127.0.0.1:${port}/hooks`;
}
