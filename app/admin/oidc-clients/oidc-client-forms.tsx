"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { Button } from "@/app/_components/ui/button";
import type { TActionState } from "@/app/_server/action-state";
import { createOidcClientAction, disableOidcClientAction, rotateSigningKeyAction } from "./actions";

function Outcome({ state, done }: { state: TActionState; done: string }) {
  const t = useTranslations("sso.admin");
  if (!state.at) return null;
  return state.ok ? (
    <p role="status" className="text-std-16N-170">
      {done}
    </p>
  ) : (
    <p role="alert" className="text-std-16B-170 text-error" data-error-code={state.code}>
      {t("error", { code: state.code ?? "INTERNAL" })}
    </p>
  );
}

const field = "block w-full rounded-6 border border-line-strong p-2 text-std-16N-170";

/** Register a relying party; on success the client secret is shown this once. */
export function CreateOidcClientForm({ claims }: { claims: { value: string; label: string }[] }) {
  const t = useTranslations("sso.admin");
  const [state, action, pending] = useActionState<TActionState, FormData>(createOidcClientAction, { ok: false });
  return (
    <form action={action} className="space-y-4" data-testid="oidc-client-create">
      {(
        [
          ["id", t("fieldId"), "text"],
          ["name", t("fieldName"), "text"],
          ["nameEn", t("fieldNameEn"), "text"],
          ["sectorIdentifier", t("fieldSector"), "text"],
        ] as const
      ).map(([name, label]) => (
        <div key={name} className="space-y-1">
          <label htmlFor={`oidc-${name}`} className="block text-std-16B-170">
            {label}
          </label>
          <input id={`oidc-${name}`} name={name} required className={field} />
        </div>
      ))}
      {(
        [
          ["redirectUris", t("fieldRedirects"), true],
          ["postLogoutRedirectUris", t("fieldPostLogout"), false],
        ] as const
      ).map(([name, label, required]) => (
        <div key={name} className="space-y-1">
          <label htmlFor={`oidc-${name}`} className="block text-std-16B-170">
            {label}
          </label>
          <textarea id={`oidc-${name}`} name={name} rows={2} required={required} className={`${field} font-mono`} />
        </div>
      ))}
      <fieldset className="space-y-2">
        <legend className="text-std-16B-170">{t("fieldScopes")}</legend>
        {claims.map((c) => (
          <div key={c.value} className="flex items-center gap-2">
            <input id={`oidc-scope-${c.value}`} type="checkbox" name="scopes" value={c.value} className="size-5" />
            <label htmlFor={`oidc-scope-${c.value}`}>
              {c.label} <code className="text-ink-muted">{c.value}</code>
            </label>
          </div>
        ))}
      </fieldset>
      <Button type="submit" aria-disabled={pending || undefined}>
        {t("create")}
      </Button>
      {state.at && state.ok && state.secret ? (
        <div
          role="status"
          className="space-y-2 rounded-8 border border-line-strong p-4"
          data-testid="oidc-client-secret"
        >
          <p>{t("created", { id: state.secret.id })}</p>
          <p>
            {t("secretLabel")}: <code className="break-all">{state.secret.value}</code>
          </p>
        </div>
      ) : (
        <Outcome state={state} done="" />
      )}
    </form>
  );
}

/** Disable one relying party. */
export function DisableOidcClientForm({ id, name }: { id: string; name: string }) {
  const t = useTranslations("sso.admin");
  const [state, action, pending] = useActionState<TActionState, FormData>(disableOidcClientAction, { ok: false });
  return (
    <form action={action}>
      <input type="hidden" name="id" value={id} />
      <Button
        type="submit"
        size="sm"
        variant="outline"
        aria-disabled={pending || undefined}
        aria-label={t("disableLabel", { name })}
      >
        {t("disable")}
      </Button>
      <Outcome state={state} done={t("disabled")} />
    </form>
  );
}

/** Rotate the provider's signing key. */
export function RotateSigningKeyForm() {
  const t = useTranslations("sso.admin");
  const [state, action, pending] = useActionState<TActionState, FormData>(rotateSigningKeyAction, { ok: false });
  return (
    <form action={action} className="space-y-2">
      <Button type="submit" variant="outline" aria-disabled={pending || undefined}>
        {t("rotate")}
      </Button>
      <Outcome state={state} done={t("rotated", { kid: state.subject ?? "" })} />
    </form>
  );
}
