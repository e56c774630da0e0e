import { open311 } from "../../_lib/bound";

export const dynamic = "force-dynamic";

// GET /open311/v2/requests/{id}.json – one service request
export const GET = open311.getRequest;
