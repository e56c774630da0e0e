import { getPlatformContext, platformApiDeps } from "@/lib/platform/get-platform-context";
import { createRecordHospitalVisitHandler } from "./handlers";

export const dynamic = "force-dynamic";

// POST /api/v1/hospital/visits/{id}/record – record the care of a visit (see ./schema.ts)
export const POST = createRecordHospitalVisitHandler(platformApiDeps(getPlatformContext));
