import { expect, test, type Page } from "@playwright/test";
import { connection, openLivePage, row, toasts } from "./live-page.ts";
import { listedBody, publishEvents } from "./nats-publish.ts";
import { stackInfo } from "./stack-control.ts";

/** Every toast (or the summary) lying over a price or status cell of the table, as "toast ↔ cell"; none is the goal. */
function toastsOverPriceOrStatus(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const boxes = (selector: string) =>
      [...document.querySelectorAll<HTMLElement>(selector)].flatMap((el) => {
        const box = el.getBoundingClientRect();
        return box.width > 1 && box.height > 1 ? [{ el, box }] : [];
      });
    const cells = boxes("#vehicles td.price, #vehicles td.status, #vehicles th.col-price, #vehicles th.col-status");
    const hits: string[] = [];
    for (const toast of boxes(".toast")) {
      for (const cell of cells) {
        const a = toast.box;
        const b = cell.box;
        if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) {
          hits.push(`${toast.el.textContent} ↔ ${cell.el.className} of ${cell.el.closest("tr")?.dataset.registration ?? "the header"}`);
        }
      }
    }
    return hits;
  });
}

async function burst(prefix: string, count: number): Promise<string[]> {
  const { natsUrl } = await stackInfo();
  const registrations = Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(4, "0")}`);
  await publishEvents(natsUrl, registrations.map((registration) => ({ subject: "forecourt.vehicles.listed.ford.ford-fiesta.local", body: listedBody(registration) })));
  return registrations;
}

test("a burst of 200 cars shows three toasts and a '+197 more' summary beside the table, never over a price or status", async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openLivePage(page);
  const cars = await burst("BU", 200);

  await expect(row(page, cars.at(-1)!)).toBeVisible();
  await expect(toasts(page)).toHaveCount(3);
  // The first three keep their place until they fade, so they can be read however fast cars come.
  await expect(toasts(page).first()).toContainText(`NEW VEHICLE! ${cars[2]} (Ford Fiesta, Blue, 2015)`);
  await expect(page.getByText("+197 more new cars", { exact: true })).toBeVisible();
  expect(await toastsOverPriceOrStatus(page)).toEqual([]);
  await page.screenshot({ path: testInfo.outputPath("desktop-burst.png") });

  // Scrolled down, the toasts follow the page and still stay beside the table.
  await page.mouse.wheel(0, 1_500);
  await expect.poll(() => page.evaluate(() => scrollY)).toBeGreaterThan(500);
  expect(await toastsOverPriceOrStatus(page)).toEqual([]);
  await page.screenshot({ path: testInfo.outputPath("desktop-burst-scrolled.png") });
});

test.describe("on a phone-width screen", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("a burst of 200 cars shows three toasts and a summary above the cards, never over a price or status", async ({ page }, testInfo) => {
    await openLivePage(page);
    const cars = await burst("BV", 200);

    await expect(row(page, cars.at(-1)!)).toBeVisible();
    await expect(toasts(page)).toHaveCount(3);
    await expect(page.getByText("+197 more new cars", { exact: true })).toBeVisible();
    expect(await toastsOverPriceOrStatus(page)).toEqual([]);
    await page.screenshot({ path: testInfo.outputPath("phone-burst.png") });

    await page.mouse.wheel(0, 1_500);
    await expect.poll(() => page.evaluate(() => scrollY)).toBeGreaterThan(500);
    expect(await toastsOverPriceOrStatus(page)).toEqual([]);
    await page.screenshot({ path: testInfo.outputPath("phone-burst-scrolled.png") });
    await expect(connection(page)).toHaveText("Connected");
  });
});
