import { getHealth } from "@/lib/health/get-health";

export const dynamic = "force-dynamic";

// GET /api/health – app and database status (503 when the database is unavailable)
export async function GET() {
  const health = await getHealth("0.1.0");
  return Response.json(health, { status: health.status === "ok" ? 200 : 503 });
}
