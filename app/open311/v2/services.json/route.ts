import { open311 } from "../_lib/bound";

export const dynamic = "force-dynamic";

// GET /open311/v2/services.json – the report categories as Open311 services
export const GET = open311.services;
