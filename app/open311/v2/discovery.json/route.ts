import { open311 } from "../_lib/bound";

export const dynamic = "force-dynamic";

// GET /open311/v2/discovery.json – the Open311 discovery document
export const GET = open311.discovery;
