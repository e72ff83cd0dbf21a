import { expect, test } from "@playwright/test";
import { stackInfo } from "./stack-control.ts";

test("the API docs render in Swagger UI with every request kept on the API's own host", async ({ page }, testInfo) => {
  const { apiUrl } = await stackInfo();
  const apiOrigin = new URL(apiUrl).origin;
  // Offline, as on a machine without internet: anything the page asks of another host fails.
  const elsewhere: string[] = [];
  await page.route(
    (url) => url.origin !== apiOrigin,
    (route) => {
      elsewhere.push(route.request().url());
      return route.abort("internetdisconnected");
    },
  );

  await page.goto(`${apiUrl}/swagger`);
  await expect(page.getByRole("heading", { name: /Forecourt dealer API/ })).toBeVisible();
  for (const tag of ["api", "vehicles", "models", "manufacturers"]) await expect(page.getByRole("heading", { level: 3 }).getByRole("link", { name: tag, exact: true })).toBeVisible();

  const listVehicle = page.getByRole("button", { name: "POST /api/vehicles List a vehicle", exact: true });
  await listVehicle.click();
  const operation = page.locator(".opblock", { has: listVehicle });
  // The body's fields are described in the shared vehicle rules' words.
  await operation.getByRole("tab", { name: "Schema" }).first().click();
  await expect(operation.getByText("1 to 32 characters").first()).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("swagger-ui.png"), fullPage: true });
  expect(elsewhere).toEqual([]);
});

test("Swagger UI's Authorize takes a dealer's key: a write tried out without it answers 401, with it 201", async ({ page }) => {
  const { apiUrl, dealerKey } = await stackInfo();
  await page.goto(`${apiUrl}/swagger`);
  const listVehicle = page.getByRole("button", { name: "POST /api/vehicles List a vehicle", exact: true });
  await listVehicle.click();
  const operation = page.locator(".opblock", { has: listVehicle });
  await operation.getByRole("button", { name: "Try it out" }).click();
  await operation.locator("textarea.body-param__text").fill(JSON.stringify({ registration: "SWAG1AB", modelCode: "ford-fiesta", color: "Red", year: 2019 }));
  const status = operation.locator(".live-responses-table tr.response .response-col_status");
  await operation.getByRole("button", { name: "Execute" }).click();
  await expect(status).toHaveText("401");

  await page.getByRole("button", { name: "Authorize", exact: true }).click();
  const dialog = page.locator(".modal-ux");
  await dialog.getByRole("textbox", { name: "auth-bearer-value" }).fill(dealerKey);
  await dialog.getByRole("button", { name: "Apply credentials" }).click();
  await dialog.getByRole("button", { name: "Close" }).click();
  await operation.getByRole("button", { name: "Execute" }).click();
  await expect(status).toHaveText("201");
  await expect(operation.locator(".live-responses-table")).toContainText('"dealer": "demo"');
});
