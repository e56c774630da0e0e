// GET /admin/disaster/shelters/stream – the shelter dashboard's figures as server-sent events: the
// database is read every 2 seconds and a `snapshot` event sent only when a figure changed (counts
// only, no names; lib/disaster/shelters/dashboard-stream.ts). Staff with DISASTER_OFFICER or ADMIN.
import { staffRoute } from "@/app/_server/route";
import { getDb } from "@/lib/db/client";
import { SHELTER_STAFF_ROLES } from "@/lib/disaster/shelters/dashboard";
import { dashboardChanges } from "@/lib/disaster/shelters/dashboard-stream";

export const dynamic = "force-dynamic";

export const GET = staffRoute(
  async (request: Request) => {
    const prisma = await getDb();
    const encoder = new TextEncoder();
    const stop = new AbortController();
    request.signal.addEventListener("abort", () => stop.abort());
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(encoder.encode("retry: 3000\n\n"));
        try {
          for await (const change of dashboardChanges({ prisma }, { signal: stop.signal })) {
            controller.enqueue(
              encoder.encode(
                "idle" in change ? ": keep-alive\n\n" : `event: snapshot\ndata: ${JSON.stringify(change)}\n\n`,
              ),
            );
          }
        } catch {
          // The client reconnects (retry); the server-rendered page still stands.
        }
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      },
      cancel() {
        stop.abort();
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
