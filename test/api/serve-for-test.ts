import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";

type THandler = (request: Request, params: Record<string, string>) => Promise<Response>;
export type TTestRoute = { method: string; pattern: RegExp; handler: THandler };

/**
 * A real HTTP server on 127.0.0.1 and an ephemeral port that hands each request, as a web
 * `Request`, to the same route handler functions Next.js calls. Tests only: it stands in for
 * `next start`, which is too heavy per vitest file; the Playwright spec covers the real server.
 */
export async function serveForTest(routes: TTestRoute[]): Promise<{ origin: string; close: () => Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const route = routes.find((r) => r.method === req.method && r.pattern.test(url.pathname));
      if (!route) {
        res.writeHead(404).end();
        return;
      }
      const params = route.pattern.exec(url.pathname)?.groups ?? {};
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) {
        if (typeof v === "string") headers.set(k, v);
        else if (Array.isArray(v)) for (const x of v) headers.append(k, x);
      }
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      // Node's fetch needs `duplex` for a streamed body; the DOM RequestInit type does not list it.
      const init: RequestInit & { duplex: "half" } = {
        method: req.method,
        headers,
        body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
        duplex: "half",
      };
      const request = new Request(url, init);
      const response = await route.handler(request, params);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
