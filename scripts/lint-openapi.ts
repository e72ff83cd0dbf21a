/**
 * `bun run lint:openapi`: builds the API's OpenAPI document in-process (no NATS, no socket), writes it to a
 * temporary file and lints it with Redocly CLI under redocly.yaml (the recommended rules). Exits with the
 * linter's code; on failure the document is kept so the reported line numbers can be looked up.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openApiDocument } from "../apps/api/src/http/openapi-document.ts";

const root = join(import.meta.dir, "..");
const dir = mkdtempSync(join(tmpdir(), "forecourt-openapi-"));
const file = join(dir, "swagger.json");
await Bun.write(file, JSON.stringify(await openApiDocument(), null, 2) + "\n");

// Run under Bun, like everything else here: Redocly's CLI needs no Node of its own.
const cli = join(root, "node_modules/@redocly/cli/bin/cli.js");
const lint = Bun.spawn([process.execPath, cli, "lint", "--config", join(root, "redocly.yaml"), file], {
  cwd: root,
  stdio: ["ignore", "inherit", "inherit"],
  env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
});
const code = await lint.exited;
if (code === 0) rmSync(dir, { recursive: true, force: true });
else console.error(`lint:openapi: the document is kept at ${file}`);
process.exit(code);
