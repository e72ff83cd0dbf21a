import { expect, test } from "@playwright/test";

test("every HTTP app of the running stack reports ready in the browser", async ({ page }) => {
  for (const port of [process.env.E2E_API_PORT, process.env.E2E_WEB_PORT, process.env.E2E_PRICING_HTTP_PORT]) {
    const response = await page.goto(`http://127.0.0.1:${port}/health/ready`);
    expect(response?.status()).toBe(200);
    await expect(page.getByText('"status":"ready"')).toBeVisible();
  }
});
