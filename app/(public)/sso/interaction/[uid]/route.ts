import { getOidcProvider } from "@/app/_server/oidc";
import { guardedRoute } from "@/app/_server/route";
import { requireResident } from "@/app/_server/session";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";
import { finishLogin, portalLoginSuffices, viewInteraction } from "@/lib/oidc/interaction";

export const dynamic = "force-dynamic";

function to(path: string): Response {
  return new Response(null, {
    status: 303,
    headers: { Location: new URL(path, env().PORTAL_ORIGIN).href, "Cache-Control": "no-store" },
  });
}

/**
 * GET /sso/interaction/<uid> — where the OpenID Provider sends the browser for its login and
 * consent steps. Login: the portal session, when it satisfies the request (acr card, max_age),
 * completes it at once (single sign-on); otherwise the card login, which comes back here.
 * Consent: the consent page.
 */
export const GET = guardedRoute(
  async (_req: Request, { params }: { params: Promise<{ uid: string }> }) => {
    const { uid } = await params;
    const provider = await getOidcProvider();
    const view = await viewInteraction(provider, uid);
    if (view.prompt === "consent") return to(`/sso/consent/${encodeURIComponent(uid)}`);
    const resident = await requireResident();
    if (resident && portalLoginSuffices(view, resident)) return to(await finishLogin(provider, uid, resident));
    return to(`/login?next=${encodeURIComponent(`/sso/interaction/${uid}`)}`);
  },
  {
    logLabel: "sso",
    onError: (err) => to(`/sso/error?code=${err instanceof AppError ? err.code : "INTERNAL"}`),
  },
);
