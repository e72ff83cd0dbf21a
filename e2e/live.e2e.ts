import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { DEFAULT_PARTICIPANT } from "../packages/shared/src/contracts/participants.ts";
import { vehicleSubject } from "../packages/shared/src/contracts/subjects.ts";
import { openLivePage } from "./live-page.ts";
import { listedBody, publishEvents } from "./nats-publish.ts";
import { controlApp, dealerHeaders, stackInfo } from "./stack-control.ts";
import { toastSaying } from "./live-page.ts";

const connection = (page: Page) => page.getByRole("status", { name: "Connection" });
const row = (page: Page, registration: string) => page.getByRole("row").filter({ hasText: registration });

/** Records every status a car's row shows, however briefly, in order. */
async function recordStatuses(page: Page, registration: string): Promise<() => Promise<string[]>> {
  await page.evaluate((reg) => {
    const seen: string[] = [];
    (window as unknown as Record<string, unknown>).__statuses = seen;
    const look = () => {
      const status = document.querySelector<HTMLElement>(`tr[data-registration="${reg}"]`)?.dataset.status;
      if (status && seen[seen.length - 1] !== status) seen.push(status);
    };
    new MutationObserver(look).observe(document.querySelector("#vehicles tbody")!, { childList: true, subtree: true, attributes: true });
  }, registration);
  return () => page.evaluate(() => (window as unknown as { __statuses: string[] }).__statuses);
}

test("a car added through the REST API pops up as a toast and its row moves from listed to priced", async ({ page, request }, testInfo) => {
  const { apiUrl } = await stackInfo();
  await page.goto("/");
  await expect(connection(page)).toHaveText("Connected");
  const statuses = await recordStatuses(page, "PW24ABC");

  const response = await request.post(`${apiUrl}/api/vehicles`, { headers: await dealerHeaders(), data: { registration: "PW24ABC", modelCode: "ford-fiesta", color: "Blue", year: 2015 } });
  expect(response.status(), await response.text()).toBe(201);

  const toast = page.getByRole("alert").filter({ hasText: "NEW VEHICLE! PW24ABC (Ford Fiesta, Blue, 2015)" });
  await expect(toast).toBeVisible();
  await expect(toast).toHaveAttribute("href", `${apiUrl}/api/vehicles/PW24ABC`);
  await expect(toast.locator(".toast-text")).toHaveText(/^NEW VEHICLE! PW24ABC \(Ford Fiesta, Blue, 2015\): £\d{1,3}(,\d{3})*$/);
  // Outside a workshop the stack is the participant "local": its own car, priced by its own pricer.
  await expect(toast.locator(".toast-origin")).toHaveText("from you · priced by you");
  await expect(row(page, "PW24ABC")).toContainText("priced");
  const price = /£[\d,]+/.exec((await toast.textContent()) ?? "")![0];
  await expect(row(page, "PW24ABC")).toContainText(price);
  // The page paints once per animation frame: a price arriving within the same frame as the listing is shown
  // straight away, so "listed" may never be painted; what matters is that the row never goes back.
  expect([["listed", "priced"], ["priced"]]).toContainEqual(await statuses());
  await page.screenshot({ path: testInfo.outputPath("toast-and-priced-row.png") });

  // The toast fades after about 8 s; the row stays.
  await expect(toast).toHaveCount(0, { timeout: 12_000 });
  await expect(row(page, "PW24ABC")).toHaveCount(1);
});

/** Lists a car through the real REST API, as a dealer would. */
async function addCar(request: APIRequestContext, registration: string, modelCode: string, color: string, year: number) {
  const { apiUrl } = await stackInfo();
  const response = await request.post(`${apiUrl}/api/vehicles`, { headers: await dealerHeaders(), data: { registration, modelCode, color, year } });
  expect(response.status(), await response.text()).toBe(201);
}

test("when the web app restarts the page shows reconnecting, then catches up on a car added meanwhile, once", async ({ page, request }, testInfo) => {
  await addCar(request, "PW24BEF", "ford-focus", "Red", 2018);
  await page.goto("/");
  await expect(connection(page)).toHaveText("Connected");
  await expect(row(page, "PW24BEF")).toContainText("priced");

  await controlApp("web", "stop");
  await expect(connection(page)).toHaveText("Reconnecting…");
  await addCar(request, "PW24RST", "volkswagen-golf", "Silver", 2019);
  await page.screenshot({ path: testInfo.outputPath("reconnecting.png") });

  await controlApp("web", "start");
  await expect(connection(page)).toHaveText("Connected", { timeout: 15_000 });
  await expect(row(page, "PW24RST")).toContainText("priced");
  await expect(toastSaying(page, /^NEW VEHICLE! PW24RST \(Volkswagen Golf, Silver, 2019\): £[\d,]+$/)).toBeVisible();
  // Resumed from its last sequence: nothing it had already shown comes twice.
  await expect(row(page, "PW24RST")).toHaveCount(1);
  await expect(row(page, "PW24BEF")).toHaveCount(1);
  await page.screenshot({ path: testInfo.outputPath("caught-up.png") });
});

test("the indicator says offline while the browser has no network, and connected when it is back", async ({ page, context }) => {
  await page.goto("/");
  await expect(connection(page)).toHaveText("Connected");
  await context.setOffline(true);
  await expect(connection(page)).toHaveText("Offline");
  await context.setOffline(false);
  await expect(connection(page)).toHaveText("Connected", { timeout: 15_000 });
});

test.describe("on a phone-width screen", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("filtering by a manufacturer makes other makes disappear and keeps following only that make", async ({ page, request }, testInfo) => {
    await addCar(request, "PW24FRD", "ford-fiesta", "Blue", 2016);
    await addCar(request, "PW24VWA", "volkswagen-polo", "White", 2020);
    await page.goto("/");
    await expect(row(page, "PW24FRD")).toBeVisible();
    await expect(row(page, "PW24VWA")).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath("phone-all-makes.png") });

    await page.getByLabel("Manufacturer").selectOption({ label: "Volkswagen" });
    await expect(row(page, "PW24VWA")).toBeVisible();
    await expect(page.getByRole("row").filter({ hasText: "Ford" })).toHaveCount(0);
    await expect(page).toHaveURL(/manufacturer=volkswagen/);

    // The stream is ordered: once the later Volkswagen car is shown, the Ford car before it was filtered out.
    await addCar(request, "PW24FRE", "ford-puma", "Grey", 2021);
    await addCar(request, "PW24VWB", "volkswagen-golf", "Black", 2017);
    await expect(row(page, "PW24VWB")).toBeVisible();
    await expect(row(page, "PW24FRE")).toHaveCount(0);
    await expect(page.getByRole("alert").filter({ hasText: "PW24VWB" })).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath("phone-volkswagen-only.png") });

    await page.getByLabel("Manufacturer").selectOption({ label: "All makes" });
    await expect(row(page, "PW24FRE")).toBeVisible();
  });
});

test("the page acknowledges what it applied, so a burst past WEB_MAX_UNACKED (2000) reaches it without a reconnect", async ({ page }) => {
  const { natsUrl } = await stackInfo();
  await openLivePage(page);
  // Every state the indicator takes, however briefly.
  await page.evaluate(() => {
    const states: string[] = [];
    (window as unknown as Record<string, unknown>).__states = states;
    const indicator = document.querySelector<HTMLElement>("#connection")!;
    new MutationObserver(() => states.push(indicator.dataset.state ?? "")).observe(indicator, { attributes: true });
  });
  const cars = Array.from({ length: 2_100 }, (_, i) => `AK${String(i).padStart(4, "0")}`);
  await publishEvents(natsUrl, cars.map((registration) => ({ subject: vehicleSubject("listed", "ford", "ford-fiesta", DEFAULT_PARTICIPANT), body: listedBody(registration) })));
  await expect(row(page, cars.at(-1)!)).toBeVisible({ timeout: 15_000 });
  // A page that did not ack would be paused at 2000 frames and cut off (4008) after 5 s: it would show reconnecting.
  expect(await page.evaluate(() => (window as unknown as { __states: string[] }).__states)).not.toContain("reconnecting");
});
