/**
 * The provider's login and consent steps, finished by the portal (app/sso/): an interaction is
 * looked up by its uid, its result is stored, and the browser goes back to the provider's resume
 * URL, which checks the provider's resume cookie (so the result only completes the flow in the
 * browser that started it).
 */
import type Provider from "oidc-provider";
import type { TAuditChannel, TRequestMetadata } from "@/lib/audit/schemas";
import type { PrismaClient } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { isOidcClaim, OIDC_CLAIMS, type TOidcClaim } from "./claims";
import { recordConsent } from "./consent";
import { acrOf, cardRequired, type TPortalResident } from "./provider";

export type TInteractionView = {
  uid: string;
  prompt: "login" | "consent";
  client: { id: string; name: string };
  /** The resident the provider session is for (consent), if any. */
  accountId: string | null;
  /** Claims the RP asked for (within its registered scopes) that still need a decision. */
  claimsAsked: TOidcClaim[];
  cardRequired: boolean;
  /** max_age in seconds, if the RP asked for one. */
  maxAge: number | null;
};

async function findInteraction(provider: Provider, uid: string) {
  const interaction = await provider.Interaction.find(uid);
  if (!interaction) throw new AppError("OIDC_INTERACTION_NOT_FOUND");
  return interaction;
}

export async function viewInteraction(provider: Provider, uid: string): Promise<TInteractionView> {
  const interaction = await findInteraction(provider, uid);
  const params = interaction.params as Record<string, unknown>;
  const client = await provider.Client.find(String(params.client_id));
  if (!client) throw new AppError("OIDC_INTERACTION_NOT_FOUND");
  const missing = (interaction.prompt.details.missingOIDCScope as string[] | undefined) ?? [];
  const maxAge = params.max_age === undefined ? null : Number(params.max_age);
  return {
    uid,
    prompt: interaction.prompt.name === "login" ? "login" : "consent",
    client: { id: client.clientId, name: client.clientName ?? client.clientId },
    accountId: interaction.session?.accountId ?? null,
    claimsAsked: OIDC_CLAIMS.filter((c) => missing.includes(c)),
    cardRequired: cardRequired(params),
    maxAge: Number.isFinite(maxAge) ? maxAge : null,
  };
}

/** Whether the portal session satisfies the request's acr and max_age (else: log in again). */
export function portalLoginSuffices(
  view: TInteractionView,
  resident: TPortalResident | null,
  now = Date.now(),
): boolean {
  if (!resident) return false;
  if (view.cardRequired && resident.assurance !== "card") return false;
  if (view.maxAge !== null && now - resident.authTime > view.maxAge * 1000) return false;
  return true;
}

async function finish(provider: Provider, uid: string, result: Record<string, unknown>): Promise<string> {
  const interaction = await findInteraction(provider, uid);
  interaction.result = result as never;
  await interaction.save(Math.max(1, interaction.exp - Math.floor(Date.now() / 1000)));
  return interaction.returnTo;
}

/** Completes the login step with the portal's session; returns the provider's resume URL. */
export async function finishLogin(provider: Provider, uid: string, resident: TPortalResident): Promise<string> {
  const view = await viewInteraction(provider, uid);
  if (view.prompt !== "login") throw new AppError("OIDC_INTERACTION_NOT_FOUND");
  if (!portalLoginSuffices(view, resident)) throw new AppError("OIDC_LOGIN_REQUIRED");
  return finish(provider, uid, {
    login: {
      accountId: resident.residentId,
      acr: acrOf(resident.assurance),
      amr: [resident.assurance === "card" ? "sc" : "hwk"],
      ts: Math.floor(resident.authTime / 1000),
    },
  });
}

/**
 * Completes the consent step: the approved claims are granted (and recorded in the consent
 * ledger), the others rejected for this request; returns the resume URL.
 */
export async function finishConsent(
  prisma: PrismaClient,
  provider: Provider,
  o: {
    uid: string;
    residentId: string;
    approved: readonly string[];
    channel: TAuditChannel;
    requestMetadata?: TRequestMetadata;
  },
): Promise<string> {
  const view = await viewInteraction(provider, o.uid);
  if (view.prompt !== "consent") throw new AppError("OIDC_INTERACTION_NOT_FOUND");
  if (view.accountId !== o.residentId) throw new AppError("OIDC_LOGIN_REQUIRED");
  const extra = o.approved.filter((c) => !isOidcClaim(c) || !view.claimsAsked.includes(c));
  if (extra.length > 0) throw new AppError("OIDC_CLAIM_NOT_REQUESTED", { details: { claims: extra } });
  const approved = view.claimsAsked.filter((c) => o.approved.includes(c));
  const declined = view.claimsAsked.filter((c) => !approved.includes(c));

  const interaction = await findInteraction(provider, o.uid);
  const grant = interaction.grantId
    ? await provider.Grant.find(interaction.grantId)
    : new provider.Grant({ accountId: o.residentId, clientId: view.client.id });
  if (!grant) throw new AppError("OIDC_INTERACTION_NOT_FOUND");
  grant.addOIDCScope(["openid", ...approved].join(" "));
  if (declined.length > 0) grant.rejectOIDCScope(declined.join(" "));
  const grantId = await grant.save();
  await prisma.$transaction((tx) =>
    recordConsent(tx, {
      residentId: o.residentId,
      clientId: view.client.id,
      approved,
      declined,
      channel: o.channel,
      requestMetadata: o.requestMetadata,
    }),
  );
  return finish(provider, o.uid, { ...(interaction.lastSubmission ?? {}), consent: { grantId } });
}

/** The resident cancelled: the RP gets access_denied. */
export async function abortInteraction(provider: Provider, uid: string): Promise<string> {
  return finish(provider, uid, { error: "access_denied", error_description: "The resident cancelled." });
}
