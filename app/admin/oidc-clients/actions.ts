"use server";

import { staffAction, type TActionState } from "@/app/_server/action";
import { oidcSealer } from "@/app/_server/oidc";
import { getDb } from "@/lib/db/client";
import { createOidcClient, disableOidcClient } from "@/lib/oidc/clients";
import { rotateSigningKey } from "@/lib/oidc/keys";
import { ZCreateOidcClientForm, ZDisableOidcClientForm } from "./forms";

const ADMIN_ONLY = { roles: ["ADMIN"], revalidate: "/admin/oidc-clients" } as const;

/** ADMIN staff register a relying party; the client secret comes back once. */
export async function createOidcClientAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return staffAction(async ({ staff }) => {
    const form = ZCreateOidcClientForm.parse({
      ...Object.fromEntries(formData),
      scopes: formData.getAll("scopes"),
    });
    const { clientId, clientSecret } = await createOidcClient(
      await getDb(),
      {
        id: form.id,
        name: form.name,
        nameEn: form.nameEn,
        redirectUris: form.redirectUris,
        postLogoutRedirectUris: form.postLogoutRedirectUris,
        allowedScopes: form.scopes,
        sectorIdentifier: form.sectorIdentifier,
      },
      { staffId: staff.staffId, sealSecret: oidcSealer() },
    );
    return { ok: true, secret: { id: clientId, value: clientSecret } };
  }, ADMIN_ONLY);
}

/** ADMIN staff disable a relying party: the provider no longer knows it. */
export async function disableOidcClientAction(_prev: TActionState, formData: FormData): Promise<TActionState> {
  return staffAction(async ({ staff }) => {
    const form = ZDisableOidcClientForm.parse(Object.fromEntries(formData));
    await disableOidcClient(await getDb(), form.id, { staffId: staff.staffId });
    return { ok: true, subject: form.id };
  }, ADMIN_ONLY);
}

/** ADMIN staff rotate the provider's signing key (the old one stays published for verification). */
export async function rotateSigningKeyAction(_prev: TActionState, _formData: FormData): Promise<TActionState> {
  return staffAction(async ({ staff }) => {
    const kid = await rotateSigningKey(await getDb(), { seal: oidcSealer(), staffId: staff.staffId });
    return { ok: true, subject: kid };
  }, ADMIN_ONLY);
}
