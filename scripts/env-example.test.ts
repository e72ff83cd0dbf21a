import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Glob } from "bun";

const root = join(import.meta.dir, "..");
/** Set by the system, not by Forecourt's settings. */
const NOT_SETTINGS = new Set(["PATH", "NODE_ENV"]);

/** Every variable the code reads: through EnvReader (`reader.port("API_PORT", …)`), `env.X` or `process.env.X`. */
function variablesRead(): Set<string> {
  const names = new Set<string>();
  for (const path of new Glob("{apps,packages,scripts,e2e}/**/*.ts").scanSync({ cwd: root })) {
    if (path.includes("node_modules") || path.includes("/gen/")) continue;
    const source = readFileSync(join(root, path), "utf8");
    // Tests build their own EnvReader inputs ("OK", "MAX"); only what they read from the real environment counts.
    const patterns = path.endsWith(".test.ts") ? [/process\.env\.([A-Z][A-Z0-9_]+)/g] : [/reader\.\w+\("([A-Z][A-Z0-9_]+)"/g, /\benv\.([A-Z][A-Z0-9_]+)/g, /["`]((?:E2E|NATS|API|WEB|PRICING|PRICER|AUDIT)_[A-Z0-9_]+)["`]/g];
    for (const pattern of patterns) for (const match of source.matchAll(pattern)) names.add(match[1]!);
  }
  for (const name of NOT_SETTINGS) names.delete(name);
  return names;
}

const listed = new Set([...readFileSync(join(root, ".env.example"), "utf8").matchAll(/^# ([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]!));

test(".env.example lists every variable the apps, scripts and tests read", () => {
  expect([...variablesRead()].filter((name) => !listed.has(name)).sort()).toEqual([]);
});

test(".env.example lists no variable that nothing reads", () => {
  const read = variablesRead();
  expect([...listed].filter((name) => !read.has(name)).sort()).toEqual([]);
});
