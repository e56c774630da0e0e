// GET /admin/disaster/shelters/stream – the shelter dashboard's figures as server-sent events: the
// database is read every 2 seconds and a `snapshot` event sent only when a figure changed (counts
// only, no names). Staff with DISASTER_OFFICER or ADMIN.
import { staffRoute } from "@/app/_server/route";
import { getDb } from "@/lib/db/client";
import { SHELTER_STAFF_ROLES, shelterDashboard } from "@/lib/disaster/shelters/dashboard";

export const dynamic = "force-dynamic";

const POLL_MS = 2000;
const KEEPALIVE_MS = 15_000;

export const GET = staffRoute(
  async (request: Request) => {
    const prisma = await getDb();
    const encoder = new TextEncoder();
    let stopped = false;
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        const stop = () => {
          if (stopped) return;
          stopped = true;
          try {
            controller.close();
          } catch {
            // already closed by the client
          }
        };
        request.signal.addEventListener("abort", stop);
        let last = "";
        let quietSince = Date.now();
        controller.enqueue(encoder.encode("retry: 3000\n\n"));
        while (!stopped) {
          try {
            const snapshot = await shelterDashboard({ prisma });
            if (snapshot.version !== last) {
              last = snapshot.version;
              quietSince = Date.now();
              controller.enqueue(encoder.encode(`event: snapshot\ndata: ${JSON.stringify(snapshot)}\n\n`));
            } else if (Date.now() - quietSince >= KEEPALIVE_MS) {
              quietSince = Date.now();
              controller.enqueue(encoder.encode(": keep-alive\n\n"));
            }
          } catch {
            // The client reconnects (retry) and the server-rendered page still stands.
            stop();
            break;
          }
          await new Promise((r) => setTimeout(r, POLL_MS));
        }
      },
      cancel() {
        stopped = true;
      },
    });
    return new Response(stream, {
      headers: {
        "Content-Type": "text/event-stream; charset=utf-8",
        "Cache-Control": "no-store, no-transform",
        Connection: "keep-alive",
        "X-Accel-Buffering": "no",
      },
    });
  },
  { roles: SHELTER_STAFF_ROLES },
);
