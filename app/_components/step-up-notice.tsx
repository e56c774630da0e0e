import { getTranslations } from "next-intl/server";
import { LinkButton } from "@/app/_components/ui/link-button";
import { Notice } from "@/app/_components/ui/notice";

/**
 * Shown by the consent, access-log and proxy pages when residentPage() gave no `card`: a
 * personal-data page needs a card login within 15 minutes (lib/auth README, step-up).
 */
export async function StepUpNotice({ next, loggedIn }: { next: string; loggedIn: boolean }) {
  const t = await getTranslations("consents");
  const s = await getTranslations("session");
  return (
    <Notice
      tone="warning"
      title={loggedIn ? t("stepUpTitle") : s("loginRequiredTitle")}
      data-step-up={loggedIn ? "required" : "login"}
    >
      <p>{loggedIn ? t("stepUpBody") : s("loginRequiredBody")}</p>
      <LinkButton href={`/login?next=${encodeURIComponent(next)}`} className="mt-4">
        {t("stepUpAction")}
      </LinkButton>
    </Notice>
  );
}
