/**
 * Relying parties registered by ADMIN staff: create (the client secret is returned once and kept
 * only sealed), list, disable; and their oidc-provider client metadata. Every client is a
 * confidential web application (client_secret_basic), code flow with PKCE, pairwise subjects
 * computed for its registered sector identifier.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { PrismaClient } from "@/lib/db/client";
import { AppError, validationFailed } from "@/lib/errors/app-error";
import { ZSafeText } from "@/lib/http/safe-text";
import { OIDC_CLAIMS } from "./claims";

/** Opens a sealed client secret (lib/crypto/secret-box.ts with the secrets key and the row's AAD). */
export type TClientSecretOpener = (sealed: string, aad: string) => string;
export type TClientSecretSealer = (plain: string, aad: string) => string;

export function clientSecretAad(clientId: string): string {
  return `oidc-client:${clientId}`;
}

const ZRedirectUri = ZSafeText.pipe(
  z.url({ protocol: /^https?$/ }).refine((u) => !new URL(u).hash, { message: "must not have a fragment" }),
);

export const ZCreateOidcClient = z.object({
  id: ZSafeText.pipe(z.string().regex(/^[a-z0-9][a-z0-9-]{2,39}$/, "3–40 lower-case letters, digits or hyphens")),
  name: ZSafeText.pipe(z.string().trim().min(1).max(100)),
  nameEn: ZSafeText.pipe(z.string().trim().min(1).max(100)),
  redirectUris: z.array(ZRedirectUri).min(1).max(10),
  postLogoutRedirectUris: z.array(ZRedirectUri).max(10).default([]),
  allowedScopes: z.array(z.enum(OIDC_CLAIMS)).min(1).max(OIDC_CLAIMS.length),
  /** A host name (e.g. library.ichimai-town.example): the pairwise subject is per sector. */
  sectorIdentifier: ZSafeText.pipe(
    z
      .string()
      .trim()
      .regex(/^[a-z0-9.-]{1,253}$/, "a lower-case host name"),
  ),
});
export type TCreateOidcClientInput = z.input<typeof ZCreateOidcClient>;

export type TOidcClientRow = {
  id: string;
  name: string;
  nameEn: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  allowedScopes: string[];
  sectorIdentifier: string;
  secretSealed: string;
};

/** oidc-provider client metadata of a registered client. */
export function clientMetadataOf(row: TOidcClientRow, openSecret: TClientSecretOpener): Record<string, unknown> {
  return {
    client_id: row.id,
    client_secret: openSecret(row.secretSealed, clientSecretAad(row.id)),
    client_name: row.name,
    redirect_uris: row.redirectUris,
    post_logout_redirect_uris: row.postLogoutRedirectUris,
    grant_types: ["authorization_code"],
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_basic",
    subject_type: "pairwise",
    // The host only: the library derives the client's sector from it and, with
    // sectorIdentifierUriValidate off, never fetches it (the console registers it).
    sector_identifier_uri: `https://${row.sectorIdentifier}/`,
    scope: ["openid", ...row.allowedScopes].join(" "),
  };
}

/** Registers a client; returns its id and the plaintext secret, which is never shown again. */
export async function createOidcClient(
  prisma: PrismaClient,
  input: TCreateOidcClientInput,
  o: { staffId?: string; sealSecret: TClientSecretSealer },
): Promise<{ clientId: string; clientSecret: string }> {
  const parsed = ZCreateOidcClient.safeParse(input);
  if (!parsed.success) throw validationFailed(parsed.error.issues);
  const v = parsed.data;
  const secret = randomBytes(32).toString("base64url");
  return prisma.$transaction(async (tx) => {
    if (await tx.oidcClient.findUnique({ where: { id: v.id }, select: { id: true } })) {
      throw new AppError("OIDC_CLIENT_EXISTS");
    }
    await tx.oidcClient.create({
      data: {
        ...v,
        allowedScopes: [...new Set(v.allowedScopes)],
        secretSealed: o.sealSecret(secret, clientSecretAad(v.id)),
        createdByStaffId: o.staffId ?? null,
      },
    });
    await appendAuditEvent(tx, {
      type: "oidc.client_created",
      actor: o.staffId ? { type: "staff", id: o.staffId } : { type: "system", id: "seed" },
      channel: o.staffId ? "console" : "system",
      data: { clientId: v.id, allowedScopes: v.allowedScopes, redirectUris: v.redirectUris },
    });
    return { clientId: v.id, clientSecret: secret };
  });
}

/** Disables a client: the provider no longer knows it (authorize, token and userinfo refuse). */
export async function disableOidcClient(prisma: PrismaClient, clientId: string, o: { staffId: string }): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const row = await tx.oidcClient.findUnique({ where: { id: clientId }, select: { disabledAt: true } });
    if (!row) throw new AppError("OIDC_CLIENT_NOT_FOUND");
    if (row.disabledAt) return;
    await tx.oidcClient.update({ where: { id: clientId }, data: { disabledAt: new Date() } });
    await appendAuditEvent(tx, {
      type: "oidc.client_disabled",
      actor: { type: "staff", id: o.staffId },
      channel: "console",
      data: { clientId },
    });
  });
}

export type TOidcClientDto = Omit<TOidcClientRow, "secretSealed"> & { disabledAt: string | null; createdAt: string };

export async function listOidcClients(prisma: PrismaClient): Promise<TOidcClientDto[]> {
  const rows = await prisma.oidcClient.findMany({ orderBy: { createdAt: "asc" } });
  return rows.map(({ secretSealed: _s, createdByStaffId: _c, updatedAt: _u, ...r }) => ({
    ...r,
    disabledAt: r.disabledAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
  }));
}
