import { getPlatformContext, platformApiDeps } from "@/lib/platform/get-platform-context";
import { getPaymentProcessor } from "@/lib/services/payment/get-payment-processor";
import { createChargeHospitalVisitHandler } from "./handlers";

export const dynamic = "force-dynamic";

// POST /api/v1/hospital/visits/{id}/charge – charge the visit's total to the patient's payment method (see ./schema.ts)
export const POST = createChargeHospitalVisitHandler(platformApiDeps(getPlatformContext), getPaymentProcessor);
