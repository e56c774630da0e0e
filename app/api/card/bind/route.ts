// POST /api/card/bind – first login: link this card's auth certificate to the resident whose
// four facts its signing certificate carries (lib/auth/bind-card-certificate.ts).
import { getCardLoginContext } from "@/lib/auth/card-login-context";
import { createBindHandler } from "./handler";

export const dynamic = "force-dynamic";

export const POST = createBindHandler({ getContext: getCardLoginContext });
