import { expect, test, type Page, type WebSocketRoute } from "@playwright/test";
import { feedMetrics, openLivePage, problemsCounter, row, toasts, toastSaying } from "./live-page.ts";
import { listedBody, publishEvents, webStats } from "./nats-publish.ts";
import { dealerHeaders, stackInfo } from "./stack-control.ts";

/** Collects what must never happen on the page: a script's dialog (injected markup ran) or an uncaught error. */
function watchForTrouble(page: Page): string[] {
  const trouble: string[] = [];
  page.on("dialog", (dialog) => {
    trouble.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on("pageerror", (error) => trouble.push(`page error: ${error.message}`));
  return trouble;
}

const price = (page: Page, registration: string) => row(page, registration).locator("td.price");

test("events that break the contract never reach the page: the relay counts and drops them, and the page still shows the next car and its toast", async ({ page, request }, testInfo) => {
  const trouble = watchForTrouble(page);
  const { natsUrl, apiUrl } = await stackInfo();
  await openLivePage(page);
  const before = await feedMetrics(page);
  const dropped = (await webStats(natsUrl)).invalidEvents;

  // Valid protobuf JSON, but no priced event may carry these: the relay checks every event against the contract.
  const pricedAt = new Date().toISOString();
  await publishEvents(natsUrl, [
    { subject: "forecourt.vehicles.priced.ford.ford-fiesta.local", body: { ...listedBody("DF24NEG"), price: -5, currencyCode: "<script>alert(1)</script>", pricedAt } },
    { subject: "forecourt.vehicles.priced.ford.ford-fiesta.local", body: { ...listedBody("DF24BIG", { color: "<img src=x onerror=alert(1)>", year: 99_999 }), price: "9223372036854775807", currencyCode: "GBP", pricedAt } },
  ]);

  const response = await request.post(`${apiUrl}/api/vehicles`, { headers: await dealerHeaders(), data: { registration: "PW24NXT", modelCode: "ford-focus", color: "Green", year: 2020 } });
  expect(response.status(), await response.text()).toBe(201);
  await expect(row(page, "PW24NXT")).toContainText("priced");
  await expect(price(page, "PW24NXT")).toHaveText(/^£[\d,]+$/);
  await expect(toastSaying(page, /^NEW VEHICLE! PW24NXT \(Ford Focus, Green, 2020\): £[\d,]+$/)).toBeVisible();
  await expect(row(page, "DF24NEG")).toHaveCount(0);
  await expect(row(page, "DF24BIG")).toHaveCount(0);
  expect((await webStats(natsUrl)).invalidEvents).toBe(dropped + 2);
  const after = await feedMetrics(page);
  expect({ skipped: after.framesSkipped, repaired: after.framesRepaired }).toEqual({ skipped: before.framesSkipped, repaired: before.framesRepaired });
  await page.screenshot({ path: testInfo.outputPath("after-contract-breaking-events.png") });
  expect(trouble).toEqual([]);
});

test("hostile frames straight at the page are skipped or blanked and counted, and the next car still shows", async ({ page }, testInfo) => {
  const trouble = watchForTrouble(page);
  const { apiUrl } = await stackInfo();
  // A test hook in the browser only: frames go to the page as if the server had sent them.
  let toPage: WebSocketRoute | undefined;
  await page.routeWebSocket(/\/ws$/, (ws) => {
    ws.connectToServer();
    toPage = ws;
  });
  await openLivePage(page);
  const before = await feedMetrics(page);

  const seq = 1_000_000_000;
  // The server names every frame's origin participant ("local" outside a workshop).
  const vehicle = (s: number, event: string, body: unknown, origin: unknown = "local") => JSON.stringify({ type: "vehicle", seq: s, event, backlog: false, publishedAt: new Date().toISOString(), origin, vehicle: body });
  for (const frame of [
    "{not json",
    JSON.stringify({ type: "celebrate" }),
    JSON.stringify({ type: "vehicle", seq: "x", event: "listed", vehicle: listedBody("HK24SEQ") }),
    vehicle(seq, "listed", listedBody("<img src=x onerror=alert(1)>")),
    vehicle(seq + 1, "sold", listedBody("HK24SLD")),
    JSON.stringify({ type: "welcome", apiBaseUrl: "javascript:alert(1)//", manufacturers: "all" }),
    vehicle(seq + 2, "listed", listedBody("HK24ODD", { color: { toString: 1 }, year: -1, modelName: "\u202eatseif" }), "<b>Mallory</b>"),
    // Priced events the relay would refuse, as if a relay let them through: the page blanks what it cannot show.
    vehicle(seq + 3, "priced", { ...listedBody("DF24NEG"), price: -5, currencyCode: "<script>alert(1)</script>", pricedAt: new Date().toISOString() }),
    vehicle(seq + 4, "priced", { ...listedBody("DF24BIG", { color: "<img src=x onerror=alert(1)>", year: 99_999 }), price: "9223372036854775807", currencyCode: "GBP", pricedAt: new Date().toISOString() }),
    vehicle(seq + 5, "listed", listedBody("HK24OK")),
  ]) {
    toPage!.send(frame);
  }

  await expect(row(page, "HK24OK")).toBeVisible();
  const toast = toasts(page).filter({ hasText: "NEW VEHICLE! HK24OK (Ford Fiesta, Blue, 2015): pricing…" });
  await expect(toast).toBeVisible();
  await expect(toast).toHaveAttribute("href", `${apiUrl}/api/vehicles/HK24OK`);
  await expect(row(page, "HK24ODD").locator("td.color")).toHaveText("—");
  await expect(row(page, "HK24ODD").locator("td.vehicle")).toHaveText("Ford atseif");
  await expect(row(page, "HK24ODD").locator("td.origin")).toHaveText("—");
  await expect(row(page, "HK24OK").locator("td.origin")).toHaveText("you");
  await expect(row(page, "DF24NEG")).toContainText("priced");
  await expect(price(page, "DF24NEG")).toHaveText("—");
  await expect(row(page, "DF24BIG")).toContainText("<img src=x onerror=alert(1)>");
  await expect(price(page, "DF24BIG")).toHaveText("—");
  await expect(row(page, "DF24BIG").locator("td.year")).toHaveText("—");
  await expect(problemsCounter(page, before.framesSkipped + 5, before.framesRepaired + 4)).toBeVisible();
  await expect(row(page, "HK24SEQ")).toHaveCount(0);
  await expect(row(page, "HK24SLD")).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath("after-hostile-frames.png") });
  expect(trouble).toEqual([]);
});
