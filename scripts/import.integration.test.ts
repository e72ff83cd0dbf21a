import { afterAll, beforeAll, expect, test } from "bun:test";
import { startNatsServer, type TestNatsServer } from "@forecourt/shared/testing";
import { openCatalogView } from "@forecourt/shared/catalog";
import { jetstream } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { join } from "node:path";
import { readVehicleEvents } from "../apps/api/src/test-support.ts";

const ROOT = join(import.meta.dir, "..");
let server: TestNatsServer;
let nc: NatsConnection;
beforeAll(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
});
afterAll(async () => {
  await nc?.close();
  await server?.dispose();
});

async function runImport(dir: string, ...args: string[]) {
  const proc = Bun.spawn(["bun", "scripts/import.ts", dir, ...args], { cwd: ROOT, env: { ...process.env, NATS_URL: server.url }, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { stdout, stderr, code };
}

// The fixtures are as a spreadsheet writes them: makes.csv has a byte order mark and CRLF line endings, and
// quoted fields with commas and doubled quotes stand in all three files.
test("import loads the good rows, reports each skipped one, announces every car, and a second run adds nothing", async () => {
  const first = await runImport("scripts/import/fixtures", "--dealer", "reliant-cars");
  expect(first.code).toBe(0);
  expect(first.stdout).toMatch(/dealer reliant-cars added; its key, shown only now: fck_reliant-cars_\S{43}\n/);
  expect(first.stdout).toContain("skipped makes.csv:3: expected 2 columns (code, name), got 1");
  expect(first.stdout).toContain('skipped carmodels.csv:4: unknown manufacturer "lada"');
  expect(first.stdout).toContain("skipped vehicles.csv:4: year must be 1900 to");
  expect(first.stdout).toContain('skipped vehicles.csv:5: unknown model "lada-riva"');
  expect(first.stdout).toContain("skipped vehicles.csv:6: duplicate registration IM01ABC (first on line 1)");
  expect(first.stdout).toContain("skipped vehicles.csv:7: expected 4 columns");
  expect(first.stdout).toContain("imported 4 vehicles (0 already present) as dealer reliant-cars, 1 manufacturers and 2 models; skipped 6 rows");
  expect(first.stderr).toContain("4/4 100%");

  const listed = (await readVehicleEvents(nc)).filter((e) => e.subject.startsWith("forecourt.vehicles.listed."));
  expect(listed.map((e) => e.body.registration).sort()).toEqual(["IM01ABC", "IM02ABC", "IM03ABC", "IM07ABC"]);
  const robin = listed.find((e) => e.body.registration === "IM02ABC");
  expect(robin?.subject).toBe("forecourt.vehicles.listed.reliant.reliant-robin.local");
  expect(robin?.body.color).toBe("Blue, faded");
  expect(new Set(listed.map((e) => e.body.dealer))).toEqual(new Set(["reliant-cars"]));

  const catalog = await openCatalogView(jetstream(nc));
  expect(catalog.model("reliant-robin")).toMatchObject({ name: 'Robin "3-Wheeler"', manufacturerCode: "reliant" });
  expect(catalog.manufacturer("reliant")?.name).toBe("Reliant, Tamworth");
  expect(catalog.model("ford-fiesta")?.basePrice).toBe(19_500);
  catalog.stop();

  const second = await runImport("scripts/import/fixtures", "--dealer", "reliant-cars");
  expect(second.stdout).not.toContain("added");
  expect(second.stdout).toContain("imported 0 vehicles (4 already present) as dealer reliant-cars, 0 manufacturers and 0 models");
  expect((await readVehicleEvents(nc)).filter((e) => e.subject.startsWith("forecourt.vehicles.listed."))).toHaveLength(4);
});

test("a bad --dealer is refused with one line naming the rule", async () => {
  const result = await runImport("scripts/import/fixtures", "--dealer", "Not A Name");
  expect(result.code).toBe(2);
  expect(result.stderr.trim()).toBe('import: --dealer: a dealer name is 1 to 32 lowercase letters, digits and inner dashes, got "Not A Name"');
});

test("a folder without the CSVs is refused with one line", async () => {
  const result = await runImport("scripts");
  expect(result.code).toBe(2);
  expect(result.stderr.trim().split("\n")).toHaveLength(1);
  expect(result.stderr).toContain("lacks makes.csv, carmodels.csv, vehicles.csv");
});
