/**
 * Workshop mode in a real browser: a hub and two participants (e2e/workshop-stack.ts, started here under Bun).
 * Bob's page shows alice's cars with her name and filters by participant; his link panel reads and changes the
 * settings of the link shaper on his hub link (the one `bun run dev --join … --shape` starts).
 */
import { spawn, execFile, type ChildProcessByStdio } from "node:child_process";
import { promisify } from "node:util";
import type { Readable } from "node:stream";
import { expect, test, type Page } from "@playwright/test";
import type { WorkshopInfo } from "./workshop-stack.ts";

const root = new URL("..", import.meta.url).pathname;
let workshop: ChildProcessByStdio<null, Readable, Readable>;
let info: WorkshopInfo;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(240_000);
  workshop = spawn("bun", ["e2e/workshop-stack.ts"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  info = await new Promise<WorkshopInfo>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const line = /^WORKSHOP (.+)$/m.exec(output);
      if (line) resolve(JSON.parse(line[1]!) as WorkshopInfo);
    };
    workshop.stdout.on("data", read);
    workshop.stderr.on("data", read);
    workshop.on("exit", (code) => reject(new Error(`the workshop stack exited with ${code}:\n${output.slice(-3000)}`)));
  });
});

test.afterAll(async () => {
  test.setTimeout(60_000);
  if (!workshop || workshop.exitCode !== null) return;
  const exited = new Promise((resolve) => workshop.once("exit", resolve));
  workshop.kill("SIGTERM");
  await exited;
});

const hub = (page: Page) => page.getByRole("status", { name: "Hub" });
const row = (page: Page, registration: string) => page.getByRole("row").filter({ hasText: registration });

/** Lists a car as the participant's demo dealer (each stack's own key). */
async function list(stack: { apiUrl: string; dealerKey: string }, registration: string, modelCode: string): Promise<void> {
  const response = await fetch(`${stack.apiUrl}/api/vehicles`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${stack.dealerKey}` },
    body: JSON.stringify({ registration, modelCode, color: "Blue", year: 2018 }),
  });
  expect(response.status, await response.text()).toBe(201);
}

test("B's page shows A's car with A's name, and its participant filter works", async ({ page }, testInfo) => {
  await page.goto(info.bob.webUrl);
  await expect(hub(page)).toHaveText("hub: connected");
  await list(info.alice, "WSA1", "ford-fiesta");
  await list(info.bob, "WSB1", "ford-fiesta");

  // Alice's car on bob's page: her name on the row and the toast; priced by alice's own pricer.
  const alices = row(page, "WSA1");
  await expect(alices.getByRole("cell").nth(5)).toHaveText("alice", { timeout: 10_000 });
  await expect(alices.getByRole("cell").nth(6)).toHaveText("priced by alice", { timeout: 15_000 });
  await expect(page.getByRole("alert").filter({ hasText: "WSA1" })).toContainText("from alice");
  // Bob's own car reads "you".
  await expect(row(page, "WSB1").getByRole("cell").nth(5)).toHaveText("you");
  await expect(row(page, "WSB1").getByRole("cell").nth(6)).toHaveText("priced by you", { timeout: 15_000 });
  await page.screenshot({ path: testInfo.outputPath("workshop-desktop.png") });

  // Only alice's cars, kept in the URL; a reload keeps the filter.
  const filter = page.getByLabel("Participant");
  await filter.selectOption("alice");
  await expect(page).toHaveURL(/\?participant=alice$/);
  await expect(row(page, "WSA1")).toBeVisible();
  await expect(row(page, "WSB1")).toHaveCount(0);
  await list(info.bob, "WSB2", "ford-fiesta");
  await list(info.alice, "WSA2", "ford-fiesta");
  await expect(row(page, "WSA2")).toBeVisible({ timeout: 10_000 });
  await expect(row(page, "WSB2")).toHaveCount(0);
  await page.reload();
  await expect(filter).toHaveValue("alice");
  await expect(row(page, "WSA2")).toBeVisible();
  await expect(row(page, "WSB1")).toHaveCount(0);

  // Everyone again, narrowed by make: the manufacturer filter applies to alice's cars too.
  await filter.selectOption("");
  await expect(row(page, "WSB1")).toBeVisible();
  await list(info.alice, "WSA3", "vauxhall-corsa");
  await page.getByLabel("Manufacturer").selectOption("vauxhall");
  await expect(row(page, "WSA3")).toBeVisible({ timeout: 10_000 });
  await expect(row(page, "WSA3").getByRole("cell").nth(5)).toHaveText("alice");
  await expect(row(page, "WSA1")).toHaveCount(0);

  await page.getByLabel("Manufacturer").selectOption("");
  await expect(row(page, "WSA1")).toBeVisible();
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(row(page, "WSA1")).toContainText("alice");
  await page.screenshot({ path: testInfo.outputPath("workshop-phone.png"), fullPage: true });
});

test("the link panel shows the link shaper's settings and changes them on the real shaper", async ({ page }, testInfo) => {
  await page.goto(info.bob.webUrl);
  const panel = page.getByRole("region", { name: "Hub link" });
  const state = panel.getByRole("status", { name: "Link settings" });
  await expect(state).toHaveText("link up · up: no delay, unlimited · down: no delay, unlimited");

  await panel.getByLabel("Latency").fill("200ms");
  await panel.getByLabel("Jitter").fill("20ms");
  await panel.getByLabel("Bandwidth").fill("256kbit");
  await panel.getByRole("button", { name: "Set" }).click();
  await expect(state).toHaveText("link up · up: 200 ms ± 20 ms, 256 kbit/s · down: 200 ms ± 20 ms, 256 kbit/s");
  const status = (await (await fetch(`${info.bob.linkControlUrl}/status`)).json()) as { settings: { up: Record<string, number>; down: Record<string, number>; outage: string } };
  expect(status.settings.up).toEqual({ latencyMs: 200, jitterMs: 20, bandwidthBps: 256_000 });
  expect(status.settings.down).toEqual({ latencyMs: 200, jitterMs: 20, bandwidthBps: 256_000 });
  // The CLI reads the same shaper.
  const cli = await promisify(execFile)("bun", ["scripts/link.ts", "status", "--control", info.bob.linkControlUrl.replace("http://", "")], { cwd: root });
  expect(cli.stdout).toContain("200ms");
  expect(cli.stdout).toContain("256kbit");

  // One direction only; a bad value gets the shaper's own one line and changes nothing.
  await panel.getByLabel("Direction").selectOption("down");
  await panel.getByLabel("Latency").fill("0");
  await panel.getByLabel("Jitter").fill("0");
  await panel.getByLabel("Bandwidth").fill("off");
  await panel.getByRole("button", { name: "Set" }).click();
  await expect(state).toHaveText("link up · up: 200 ms ± 20 ms, 256 kbit/s · down: no delay, unlimited");
  await panel.getByLabel("Latency").fill("fast");
  await panel.getByRole("button", { name: "Set" }).click();
  await expect(panel.getByRole("alert")).toHaveText(/^latency "fast" is not a duration in ms or s such as 150ms/);
  await page.screenshot({ path: testInfo.outputPath("link-panel.png"), fullPage: true });

  // Cut: the shaper closes the leaf link and the page says so; restore brings it back.
  await panel.getByRole("button", { name: "Cut" }).click();
  await expect(state).toContainText("link cut");
  await expect(hub(page)).toHaveText("hub: disconnected", { timeout: 15_000 });
  expect(((await (await fetch(`${info.bob.linkControlUrl}/status`)).json()) as { settings: { outage: string } }).settings.outage).toBe("cut");
  await panel.getByRole("button", { name: "Restore" }).click();
  await expect(state).toContainText("link up");
  await expect(panel.getByRole("alert")).toBeHidden();
  await expect(hub(page)).toHaveText("hub: connected", { timeout: 30_000 });
  // Leave the shaper as found for any later test.
  await fetch(`${info.bob.linkControlUrl}/settings`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ latency: 0, jitter: 0, bandwidth: 0 }) });
});
