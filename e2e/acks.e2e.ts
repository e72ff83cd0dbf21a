import { expect, test } from "@playwright/test";
import { stackInfo } from "./stack-control.ts";

const connection = "#connection";

test("the page acknowledges what it applied, so a burst beyond WEB_MAX_UNACKED (200 here) flows through without a reconnect", async ({ page, request }) => {
  const { apiUrl } = await stackInfo();
  await page.goto("/");
  await expect(page.getByRole("status", { name: "Connection" })).toHaveText("Connected");
  // Every state the indicator takes, however briefly.
  await page.evaluate((selector) => {
    const states: string[] = [];
    (window as unknown as Record<string, unknown>).__states = states;
    const indicator = document.querySelector<HTMLElement>(selector)!;
    new MutationObserver(() => states.push(indicator.dataset.state ?? "")).observe(indicator, { attributes: true });
  }, connection);

  const cars = Array.from({ length: 150 }, (_, i) => `AK${String(i).padStart(3, "0")}`);
  for (const registration of cars) {
    const response = await request.post(`${apiUrl}/api/vehicles`, { data: { registration, modelCode: "ford-fiesta", color: "Blue", year: 2015 } });
    expect(response.status(), await response.text()).toBe(201);
  }
  // Paused at 200 unacknowledged frames, a page that did not ack would be cut off (4008) after 5 s and catch up only then.
  await expect(page.getByRole("row").filter({ hasText: cars.at(-1)! })).toContainText("priced", { timeout: 4_000 });
  expect(await page.evaluate(() => (window as unknown as { __states: string[] }).__states)).not.toContain("reconnecting");
});
