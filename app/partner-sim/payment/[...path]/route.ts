import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { paymentProcessorApiKey, servesSimulatedProcessor } from "@/lib/services/payment/processor-config";
import { handlePaymentSim } from "@/partner-sim/payment/http";

// The simulated payment processor (partner-sim/payment): its hosted card registration page and
// its merchant API, for development, tests, the demo and the sandbox — served only while the
// portal uses it (PAYMENT_PROCESSOR_URL unset, as the simulated J-LIS behind /jlis while
// JLIS_BASE_URL is unset). A deployment with a real processor sets PAYMENT_PROCESSOR_URL and this
// route answers 404.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

async function serve(request: Request): Promise<Response> {
  const config = env();
  const apiKey = paymentProcessorApiKey(config);
  if (!servesSimulatedProcessor(config) || !apiKey) return new Response("not found", { status: 404 });
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
