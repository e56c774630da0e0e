import { getTranslations } from "next-intl/server";
import { LinkButton } from "./ui/link-button";
import { Notice } from "./ui/notice";

/** Shown by a guarded page when `require*()` returned null. */
export async function LoginRequired({ kind = "resident" }: { kind?: "resident" | "staff" | "partner" }) {
  const t = await getTranslations("session");
  const title = { resident: "loginRequiredTitle", staff: "staffRequiredTitle", partner: "partnerRequiredTitle" }[kind];
  const body = { resident: "loginRequiredBody", staff: "staffRequiredBody", partner: "partnerRequiredBody" }[kind];
  return (
    <Notice tone="warning" title={t(title)} data-login-required={kind}>
      <p>{t(body)}</p>
      <LinkButton href={kind === "partner" ? "/partner/login" : "/login"} className="mt-4">
        {t(kind === "partner" ? "partnerLoginAction" : "loginRequiredAction")}
      </LinkButton>
    </Notice>
  );
}
