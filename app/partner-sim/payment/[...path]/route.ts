import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { paymentProcessorApiKey } from "@/lib/services/payment/processor-config";
import { handlePaymentSim } from "@/partner-sim/payment/http";

// The simulated payment processor (partner-sim/payment): its hosted card registration page and
// its merchant API. Development, test and the demo only — a real deployment talks to a real
// processor at PAYMENT_PROCESSOR_URL, and this route answers 404 in production.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

async function serve(request: Request): Promise<Response> {
  const config = env();
  const apiKey = paymentProcessorApiKey(config);
  if (config.NODE_ENV === "production" || !apiKey) return new Response("not found", { status: 404 });
  return handlePaymentSim(request, { prisma: await getDb(), apiKey });
}

// GET /partner-sim/payment/register – the card registration page
export function GET(request: Request): Promise<Response> {
  return serve(request);
}

// POST /partner-sim/payment/register, /v1/registrations/{ref}/redeem, /v1/charges
export function POST(request: Request): Promise<Response> {
  return serve(request);
}
