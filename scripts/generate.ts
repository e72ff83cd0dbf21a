/**
 * Regenerates code from proto/ with local plugins only (no network): `bun run generate`.
 * Generated code is committed; CI regenerates and fails when the tree changes (a stale generation).
 */
import { rmSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dir, "..");
const bin = join(root, "node_modules", ".bin");
const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };

function run(cmd: string[], label: string) {
  process.stdout.write(`generate: ${label}… `);
  const started = performance.now();
  const result = Bun.spawnSync(cmd, { cwd: root, env, stdout: "pipe", stderr: "pipe" });
  if (result.exitCode !== 0) {
    console.log("failed");
    process.stderr.write(result.stdout.toString() + result.stderr.toString());
    process.exit(result.exitCode ?? 1);
  }
  console.log(`done in ${Math.round(performance.now() - started)} ms`);
}

rmSync(join(root, "packages/shared/src/gen"), { recursive: true, force: true });
run(["buf", "lint"], "buf lint");
run(["buf", "generate"], "buf generate (protoc-gen-es → packages/shared/src/gen)");
