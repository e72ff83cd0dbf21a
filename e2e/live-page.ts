/** What the live page's browser tests share: finding things as a person would, and knowing the feed is live. */
import { expect, type Page } from "@playwright/test";

export const connection = (page: Page) => page.getByRole("status", { name: "Connection" });
export const row = (page: Page, registration: string) => page.getByRole("row").filter({ hasText: registration });
export const toasts = (page: Page) => page.getByRole("alert");
/** The toast whose car line ("NEW VEHICLE! …: £7,450") matches; its second line says whose car it is and who priced it. */
export const toastSaying = (page: Page, text: RegExp) => toasts(page).filter({ has: page.locator(".toast-text").filter({ hasText: text }) });

/** Connected, and the server's "subscribed" has arrived: from here on a new event is news (a toast), not backlog. */
export async function openLivePage(page: Page, path = "/"): Promise<void> {
  await page.goto(path);
  await expect(connection(page)).toHaveText("Connected");
  await page.waitForFunction(() => ((window as unknown as { __feedMetrics?: { subscriptions: number } }).__feedMetrics?.subscriptions ?? 0) > 0);
}

export interface PageFeedMetrics {
  framesSkipped: number;
  framesRepaired: number;
}

/** The page's own counters (window.__feedMetrics), so a test can count what its own frames added. */
export function feedMetrics(page: Page): Promise<PageFeedMetrics> {
  return page.evaluate(() => ({ ...(window as unknown as { __feedMetrics: PageFeedMetrics }).__feedMetrics }));
}

/** The page's "N bad frames skipped · N shown with blanks" counter, for at least two of each. */
export function problemsCounter(page: Page, skipped: number, repaired: number) {
  const parts = [skipped ? `${skipped} bad frames skipped` : "", repaired ? `${repaired} shown with blanks` : ""].filter(Boolean);
  return page.getByText(parts.join(" · "), { exact: true });
}
