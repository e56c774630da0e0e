import { loginRoute } from "@/app/_server/route";
import { bindCardCertificate } from "@/lib/auth/bind-card-certificate";
import { readCookie } from "@/lib/auth/binding-cookie";
import type { TCardLoginContext } from "@/lib/auth/verify-card-login";
import { AppError } from "@/lib/errors/app-error";
import { requestMetadataOf } from "@/lib/http/request-metadata";

const MAX_BODY = 32_000;

export type TBindDeps = {
  /** The card-login context (getCardLoginContext in the app; a test world in tests). */
  getContext: () => Promise<TCardLoginContext>;
};

/**
 * POST /api/card/bind – first login: link this card's auth certificate to the resident whose
 * four facts its signing certificate carries (lib/auth/bind-card-certificate.ts). Failures count
 * against the card login's per-address failure limit (429 RATE_LIMITED + Retry-After).
 */
export function createBindHandler(deps: TBindDeps): (request: Request) => Promise<Response> {
  return loginRoute(async (request: Request): Promise<Response> => {
    const text = await request.text();
    if (text.length > MAX_BODY) throw new AppError("PAYLOAD_TOO_LARGE");
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (cause) {
      throw new AppError("BAD_JSON", { cause });
    }
    const ctx = await deps.getContext();
    const { ip, userAgent } = requestMetadataOf(request.headers);
    const result = await bindCardCertificate(ctx, {
      body,
      binding: readCookie(request.headers.get("cookie"), ctx.bindingCookieName),
      requestOrigin: request.headers.get("origin") ?? undefined,
      ip,
      userAgent,
    });
    return Response.json(
      { bound: true, alreadyBound: result.alreadyBound },
      { headers: { "Cache-Control": "no-store" } },
    );
  });
}
