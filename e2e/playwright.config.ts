import { defineConfig } from "@playwright/test";
// The ports module alone, not the testing index: this file runs under Node, which needs none of the rest.
import { freePort } from "../packages/shared/src/testing/ports.ts";

// Ports are chosen once here and passed through env, so Playwright's workers (which reload this file) agree.
for (const name of ["E2E_API_PORT", "E2E_WEB_PORT", "E2E_PRICING_PORT", "E2E_PRICING_HTTP_PORT", "E2E_CONTROL_PORT"]) {
  process.env[name] ??= String(await freePort());
}

export default defineConfig({
  testDir: ".",
  testMatch: "**/*.e2e.ts",
  outputDir: "artifacts/test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  reporter: [["list"], ["json", { outputFile: "artifacts/results.json" }]],
  use: {
    baseURL: `http://127.0.0.1:${process.env.E2E_WEB_PORT}`,
    screenshot: "on",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        ...(process.getuid?.() === 0 ? ["--no-sandbox"] : []),
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: "bun scripts/stack.ts",
    cwd: "..",
    url: `http://127.0.0.1:${process.env.E2E_WEB_PORT}/health/ready`,
    timeout: 60_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
  },
});
