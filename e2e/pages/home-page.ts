import type { Locator, Page } from "@playwright/test";

/** Page object for "/" (the public home page). */
export class HomePage {
  readonly heading: Locator;
  readonly languageToggle: Locator;
  readonly loginLink: Locator;
  readonly skipLink: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole("heading", { level: 1 });
    this.languageToggle = page.locator("[data-language-toggle] button");
    this.loginLink = page.getByRole("main").getByRole("link").first();
    this.skipLink = page.locator("[data-skip-link]");
  }

  async goto() {
    await this.page.goto("/");
  }

  htmlLang() {
    return this.page.locator("html").getAttribute("lang");
  }
}
