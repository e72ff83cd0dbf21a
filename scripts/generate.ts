/**
 * Regenerates code from proto/ with local plugins only (no network): `bun run generate`.
 * TypeScript (buf.gen.yaml) and the Python client (buf.gen.python.yaml: needs Debian's protobuf-compiler and
 * python3-grpc-tools). Generated code is committed; CI regenerates and fails when the tree changes.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dir, "..");
/** Everything `buf generate` writes (.ci/run checks the same directories for staleness). */
const GENERATED_DIRS = ["packages/shared/src/gen", "clients/python/gen"];
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

// Start from empty directories, so a deleted proto leaves no orphaned generated file behind.
for (const dir of GENERATED_DIRS) rmSync(join(root, dir), { recursive: true, force: true });
run(["buf", "lint"], "buf lint");
run(["buf", "generate"], "buf generate (protoc-gen-es → packages/shared/src/gen)");
run(["buf", "generate", "--template", "buf.gen.python.yaml"], "buf generate (python, grpc_python → clients/python/gen)");
