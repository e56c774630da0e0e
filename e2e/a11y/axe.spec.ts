import { expect, type TLanguage, test } from "../fixtures";

/** One URL per page family (convention 19, docs/architecture.md#conventions); /tv twice because its language panel has extra controls. */
const families = [
  { family: "home", path: "/" },
  { family: "login", path: "/login" },
  { family: "verify", path: "/verify" },
  { family: "error-catalogue", path: "/docs/errors" },
  { family: "resident-mailbox", path: "/mailbox" },
  { family: "resident-services", path: "/services" },
  { family: "resident-services-links", path: "/services/links" },
  { family: "resident-bus", path: "/services/bus" },
  { family: "resident-settings", path: "/settings" },
  { family: "admin", path: "/admin" },
  { family: "admin-section", path: "/admin/audit" },
  { family: "partner", path: "/partner" },
  { family: "partner-section", path: "/partner/credentials" },
  { family: "partner-login", path: "/partner/login" },
  { family: "partner-webhooks", path: "/partner/webhooks" },
  { family: "partner-usage", path: "/partner/usage" },
  { family: "partner-users", path: "/partner/users" },
  { family: "partner-password", path: "/partner/password" },
  { family: "partner-documents", path: "/partner/documents" },
  { family: "partner-documents-failed", path: "/partner/documents?status=failed" },
  { family: "admin-partners", path: "/admin/partners" },
  { family: "admin-transport", path: "/admin/transport" },
  { family: "admin-notices", path: "/admin/notices" },
  { family: "tv", path: "/tv" },
  { family: "tv-language", path: "/tv/language" },
  { family: "terminal", path: "/terminal" },
  { family: "terminal-hospital", path: "/terminal/hospital" },
  { family: "terminal-bus", path: "/terminal/bus" },
  { family: "terminal-enrol", path: "/terminal/enrol?error=TERMINAL_ENROLMENT_INVALID" },
  { family: "404", path: "/no-such-page" },
] as const;

const languages: TLanguage[] = ["ja", "en"];

for (const language of languages) {
  for (const { family, path } of families) {
    test(`[A11Y][AXE]: ${family} (${language}) has no serious or critical WCAG 2.1 A/AA violations`, async ({
      page,
      useLanguage,
      seriousA11yViolations,
    }) => {
      await useLanguage(language);
      await page.goto(path);
      await expect(page.locator("html")).toHaveAttribute("lang", language);
      await page.evaluate(() => document.fonts.ready);
      expect(await seriousA11yViolations(page)).toEqual([]);
    });
  }
}
