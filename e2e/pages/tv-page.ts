import type { Locator, Page } from "@playwright/test";

/** Page object for "/tv" (the 10-foot UI). */
export class TvPage {
  readonly tiles: Locator;
  readonly panelHeading: Locator;

  constructor(readonly page: Page) {
    this.tiles = page.getByRole("navigation").getByRole("link");
    this.panelHeading = page.locator("#tv-panel-title");
  }

  async goto(section?: string) {
    await this.page.goto(section ? `/tv?section=${section}` : "/tv");
  }

  /** Text of the focused element (the TV's cursor). */
  focusedText() {
    return this.page.evaluate(() => (document.activeElement?.textContent ?? "").trim());
  }
}
