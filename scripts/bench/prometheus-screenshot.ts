/**
 * The README's picture of the pipeline under load: Prometheus's own graph page (Debian's build serves the classic
 * UI), opened in Chromium by Playwright, with the consumers' rates and the POST's p99 over the last minutes.
 * Run it while `bun run dev --observe` and `list-load.ts` run:
 *
 *   bun scripts/bench/prometheus-screenshot.ts [Prometheus URL=http://127.0.0.1:9090] [out=docs/prometheus-pipeline-under-load.png]
 */
import { chromium } from "@playwright/test";

const [base = "http://127.0.0.1:9090", out = "docs/prometheus-pipeline-under-load.png"] = process.argv.slice(2);
const panels = [
  "sum by (consumer) (rate(forecourt_consumer_processed_total[30s]))",
  'histogram_quantile(0.99, sum by (route, le) (rate(forecourt_http_request_duration_seconds_bucket{method="POST",route="/api/vehicles"}[30s])))',
];
const query = panels.map((expr, i) => `g${i}.expr=${encodeURIComponent(expr)}&g${i}.tab=0&g${i}.range_input=5m`).join("&");

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
  await page.goto(`${base}/classic/graph?${query}`);
  // Each panel draws an SVG chart once its query has answered.
  await page.locator(".graph_area svg").nth(panels.length - 1).waitFor({ timeout: 15_000 });
  // The page focuses the last expression box; a focus ring is not part of the picture.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.waitForTimeout(500);
  await page.screenshot({ path: out, fullPage: true });
  console.log(`saved ${out}`);
} finally {
  await browser.close();
}
