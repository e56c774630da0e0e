// POST /api/card/challenge – a fresh card-login nonce bound to this browser (docs/jpki.md#card-login-web-eid).
import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { createChallengeHandler } from "./handler";

export const dynamic = "force-dynamic";

export const POST = createChallengeHandler({ getPrisma: getDb, portalOrigin: () => env().PORTAL_ORIGIN });
