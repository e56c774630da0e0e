import { open311 } from "../../_lib/bound";

export const dynamic = "force-dynamic";

// GET /open311/v2/services/{code}.json – a service definition (no attributes)
export const GET = open311.serviceDefinition;
