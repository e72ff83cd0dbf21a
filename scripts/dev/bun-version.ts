/**
 * The Bun this repository pins (package.json `packageManager: "bun@x.y.z"`; the lockfile format needs it) and
 * whether the running one will do: the same or newer passes, an older one is refused with one line.
 */

/** The version in `packageManager`, or an error naming what is there instead. */
export function pinnedBunVersion(packageJson: { packageManager?: unknown }): string {
  const match = /^bun@(\d+\.\d+\.\d+)$/.exec(String(packageJson.packageManager ?? ""));
  if (!match) throw new Error(`package.json "packageManager" must be "bun@<major.minor.patch>", got ${JSON.stringify(packageJson.packageManager)}`);
  return match[1]!;
}

/** Undefined when `found` is `wanted` or newer; otherwise what to tell the developer, on one line. */
export function bunVersionProblem(wanted: string, found: string): string | undefined {
  if (Bun.semver.order(found, wanted) >= 0) return undefined;
  return `Bun ${wanted} or newer is needed (package.json "packageManager"), found ${found}: npm i -g bun@${wanted}`;
}
