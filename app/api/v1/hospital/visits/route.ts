import { getPlatformContext, platformApiDeps } from "@/lib/platform/get-platform-context";
import { createListHospitalVisitsHandler } from "./handlers";

export const dynamic = "force-dynamic";

// GET /api/v1/hospital/visits – the visits received at the hospital's kiosks (see ./schema.ts)
export const GET = createListHospitalVisitsHandler(platformApiDeps(getPlatformContext));
