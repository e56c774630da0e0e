import type { Locator, Page } from "@playwright/test";

/** Page object for "/tv" (the 10-foot UI). */
export class TvPage {
  readonly screen: Locator;
  readonly loginButton: Locator;

  constructor(readonly page: Page) {
    this.screen = page.locator("main[data-tv-screen]");
    this.loginButton = page.getByTestId("tv-card-login");
  }

  async goto(path = "/tv") {
    await this.page.goto(path);
  }

  /** Text of the focused element (the TV's cursor). */
  focusedText() {
    return this.page.evaluate(() => (document.activeElement?.textContent ?? "").trim());
  }
}
