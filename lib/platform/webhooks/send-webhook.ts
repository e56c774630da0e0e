import http from "node:http";
import https from "node:https";
import net from "node:net";
import type { Duplex } from "node:stream";
import tls from "node:tls";
import type { TErrorCode } from "../../errors/codes";
import { signWebhook } from "./sign-webhook";
import { bareHostname, resolveWebhookAddresses, type TWebhookAddress, type TWebhookResolver } from "./webhook-address";

/** Outcome of one HTTP attempt; `error` is a stable code (lib/errors/codes.ts). */
export type TSendOutcome = {
  ok: boolean;
  statusCode?: number;
  error?: Extract<
    TErrorCode,
    | "WEBHOOK_RECEIVER_UNREACHABLE"
    | "WEBHOOK_RECEIVER_TIMEOUT"
    | "WEBHOOK_RECEIVER_REJECTED"
    | "WEBHOOK_ADDRESS_FORBIDDEN"
    | "SECRET_UNREADABLE"
  >;
  durationMs: number;
};

/**
 * Opens the TCP connection of one attempt to one of the already checked `addresses` (never by
 * resolving `hostname` again). Injectable so tests can see where a request would go.
 */
export type TWebhookConnect = (o: { hostname: string; port: number; addresses: TWebhookAddress[] }) => net.Socket;

/** The default: `net.connect` whose `lookup` answers with the checked addresses only (pinning). */
export const pinnedConnect: TWebhookConnect = ({ hostname, port, addresses }) =>
  net.connect({
    host: hostname,
    port,
    // Happy Eyeballs over the checked addresses (Node asks with `all: true` when it is on).
    autoSelectFamily: true,
    lookup: (_name, opts, cb) => {
      const first = addresses[0] as TWebhookAddress;
      if ((opts as { all?: boolean }).all) (cb as (e: null, a: TWebhookAddress[]) => void)(null, addresses);
      else (cb as (e: null, a: string, f: number) => void)(null, first.address, first.family);
    },
  });

export type SendWebhookOptions = {
  url: string;
  secret: string;
  id: string;
  body: string;
  timestamp: Date;
  timeoutMs: number;
  /** Allow loopback/private/link-local receivers (development and tests: `allowHttp`). */
  allowPrivate: boolean;
  resolve?: TWebhookResolver;
  connect?: TWebhookConnect;
};

/**
 * POSTs one signed message. Success is any 2xx (Standard Webhooks); redirects are not followed
 * (a receiver must give its final URL), and the response body is never read, so a slow or huge
 * answer cannot hold the dispatcher.
 *
 * SSRF: the host is resolved once per attempt (all addresses); unless `allowPrivate`, any
 * non-public address refuses the attempt with WEBHOOK_ADDRESS_FORBIDDEN before a byte is sent.
 * The socket is then opened to those checked addresses only (`connect`), while the Host header,
 * TLS SNI and certificate check still use the URL's host name. One connection per attempt (no
 * pool), so every attempt is checked against the current DNS answer.
 */
export async function sendWebhook(o: SendWebhookOptions): Promise<TSendOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const signal = AbortSignal.timeout(o.timeoutMs);
  const url = new URL(o.url);
  const hostname = bareHostname(url);
  const aborted = new Promise<"timeout">((resolve) => signal.addEventListener("abort", () => resolve("timeout")));
  const resolved = await Promise.race([
    resolveWebhookAddresses(hostname, { allowPrivate: o.allowPrivate, resolve: o.resolve }),
    aborted,
  ]);
  if (resolved === "timeout") return { ok: false, error: "WEBHOOK_RECEIVER_TIMEOUT", durationMs: elapsed() };
  if (!resolved.ok) return { ok: false, error: resolved.error, durationMs: elapsed() };

  const headers = {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(o.body)),
    "user-agent": "ichimai-webhooks/1",
    host: url.host,
    ...signWebhook({ secret: o.secret, id: o.id, timestamp: o.timestamp, body: o.body }),
  };
  const secure = url.protocol === "https:";
  const port = Number(url.port) || (secure ? 443 : 80);
  const connect = o.connect ?? pinnedConnect;
  const createConnection = (): Duplex => {
    const socket = connect({ hostname, port, addresses: resolved.addresses });
    if (!secure) return socket;
    // TLS over the pinned socket: SNI and the certificate check are for the URL's host name
    // (SNI is not sent for an IP literal, RFC 6066 §3).
    return tls.connect({
      socket,
      host: hostname,
      servername: net.isIP(hostname) ? "" : hostname,
      ALPNProtocols: ["http/1.1"],
    });
  };
  try {
    const statusCode = await new Promise<number>((resolve, reject) => {
      const req = (secure ? https : http).request({
        method: "POST",
        host: hostname,
        port,
        path: `${url.pathname}${url.search}`,
        headers,
        signal,
        createConnection,
      });
      req.on("response", (res) => {
        resolve(res.statusCode ?? 0);
        res.destroy();
      });
      req.on("error", reject);
      req.end(o.body);
    });
    if (statusCode >= 200 && statusCode < 300) return { ok: true, statusCode, durationMs: elapsed() };
    return { ok: false, statusCode, error: "WEBHOOK_RECEIVER_REJECTED", durationMs: elapsed() };
  } catch (err) {
    const name = err instanceof Error ? err.name : "";
    return {
      ok: false,
      error:
        signal.aborted || name === "TimeoutError" || name === "AbortError"
          ? "WEBHOOK_RECEIVER_TIMEOUT"
          : "WEBHOOK_RECEIVER_UNREACHABLE",
      durationMs: elapsed(),
    };
  }
}
