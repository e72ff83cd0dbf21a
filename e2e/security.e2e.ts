import { expect, test, type Page } from "@playwright/test";
import { dealerHeaders, stackInfo } from "./stack-control.ts";

/**
 * Collects every Content-Security-Policy violation the page reports, both as DOM events (seen by a script
 * injected before the page's own) and as Chromium's console messages, so a blocked script, style, image or
 * connection cannot pass unnoticed.
 */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  const console: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) console.push(`console: ${message.text()}`);
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"}`));
  });
  return async () => [...console, ...(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations))];
}

test("the live page works under its Content-Security-Policy, with no violation reported", async ({ page, request }) => {
  // Earlier tests leave the pricer a backlog (live-load lists hundreds of cars): this car's price may take a while.
  test.setTimeout(60_000);
  const violations = await watchViolations(page);
  const response = await page.goto("/");
  const headers = response!.headers();
  expect(headers["content-security-policy"]).toContain("script-src 'self'");
  expect(headers["x-frame-options"]).toBe("DENY");
  await expect(page.getByRole("status", { name: "Connection" })).toHaveText("Connected");

  const { apiUrl } = await stackInfo();
  const added = await request.post(`${apiUrl}/api/vehicles`, { headers: await dealerHeaders(), data: { registration: "CSP24AB", modelCode: "ford-fiesta", color: "Green", year: 2017 } });
  expect(added.status(), await added.text()).toBe(201);
  const toast = page.getByRole("alert").filter({ hasText: "NEW VEHICLE! CSP24AB" });
  await expect(toast).toBeVisible();
  // The page may still be drawing the previous test's burst (the browser stack is shared), and the pricer may have a
  // backlog from it: allow a loaded machine time.
  await expect(page.getByRole("row").filter({ hasText: "CSP24AB" })).toContainText("priced", { timeout: 40_000 });
  expect(await violations()).toEqual([]);
});

test("the Swagger page renders and tries out a call under its Content-Security-Policy, with no violation reported", async ({ page }) => {
  const violations = await watchViolations(page);
  const { apiUrl } = await stackInfo();
  const response = await page.goto(`${apiUrl}/swagger`);
  expect(response!.headers()["content-security-policy"]).not.toContain("unsafe-inline");
  await expect(page.getByRole("heading", { name: /Forecourt dealer API/ })).toBeVisible();

  const entry = page.getByRole("button", { name: /^GET \/api\b/ }).first();
  await entry.click();
  const operation = page.locator(".opblock", { has: entry });
  await operation.getByRole("button", { name: "Try it out" }).click();
  await operation.getByRole("button", { name: "Execute" }).click();
  await expect(operation.locator(".live-responses-table tr.response .response-col_status")).toHaveText("200");
  expect(await violations()).toEqual([]);
});

test("no page, not even one of Forecourt's own, can frame the live page or the Swagger page", async ({ page }) => {
  const { apiUrl, webUrl } = await stackInfo();
  // Pages on the API's origin, answered by the browser itself: one framing the live page, the docs and a
  // control page that sends no headers (which loads, so the framing itself works).
  const host = `${apiUrl}/framing-test`;
  const control = `${apiUrl}/framing-control`;
  await page.route(control, (route) => route.fulfill({ contentType: "text/html", body: "<p>framed</p>" }));
  await page.route(host, (route) =>
    route.fulfill({ contentType: "text/html", body: `<iframe id="control" src="${control}"></iframe><iframe id="live" src="${webUrl}/"></iframe><iframe id="docs" src="${apiUrl}/swagger"></iframe>` }),
  );
  await page.goto(host);
  await expect(page.frameLocator("#control").getByText("framed")).toBeVisible();
  for (const id of ["live", "docs"]) {
    const frame = await (await page.locator(`#${id}`).elementHandle())!.contentFrame();
    // A refused frame shows Chromium's error page instead of running the framed page.
    await expect.poll(() => frame?.url()).toBe("chrome-error://chromewebdata/");
  }
});
