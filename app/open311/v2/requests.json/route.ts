import { open311 } from "../_lib/bound";

export const dynamic = "force-dynamic";

// GET /open311/v2/requests.json – service requests (filters); POST – create one
export const GET = open311.listRequests;
export const POST = open311.createRequest;
