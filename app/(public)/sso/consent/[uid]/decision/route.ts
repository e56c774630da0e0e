import { getOidcProvider } from "@/app/_server/oidc";
import { residentRequest } from "@/app/_server/request-context";
import { guardedRoute } from "@/app/_server/route";
import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";
import { abortInteraction, finishConsent } from "@/lib/oidc/interaction";
import { ZSsoConsentForm } from "../forms";

export const dynamic = "force-dynamic";

function to(location: string): Response {
  return new Response(null, {
    status: 303,
    headers: { Location: new URL(location, env().PORTAL_ORIGIN).href, "Cache-Control": "no-store" },
  });
}

/**
 * POST /sso/consent/<uid>/decision — the consent page's form (a plain form post, so the browser
 * itself follows the redirects back through the provider to the service): the ticked claims are
 * granted, or the request is cancelled. Same-origin posts only; the interaction must be the
 * logged-in resident's.
 */
export const POST = guardedRoute(
  async (req: Request, { params }: { params: Promise<{ uid: string }> }) => {
    const { uid } = await params;
    const origin = req.headers.get("origin");
    if (origin && origin !== new URL(env().PORTAL_ORIGIN).origin) throw new AppError("ORIGIN_MISMATCH");
    const formData = await req.formData();
    const form = ZSsoConsentForm.safeParse({
      uid,
      claims: formData.getAll("claim"),
      decision: formData.get("decision"),
    });
    if (!form.success) throw new AppError("VALIDATION_FAILED");
    const r = await residentRequest(false);
    if (!r) return to(`/sso/interaction/${encodeURIComponent(uid)}`);
    const provider = await getOidcProvider();
    const target =
      form.data.decision === "cancel"
        ? await abortInteraction(provider, uid)
        : await finishConsent(await getDb(), provider, {
            uid,
            residentId: r.resident.residentId,
            approved: form.data.claims,
            channel: r.channel,
            requestMetadata: r.requestMetadata,
          });
    return to(target);
  },
  {
    logLabel: "sso",
    onError: (err) => to(`/sso/error?code=${err instanceof AppError ? err.code : "INTERNAL"}`),
  },
);
