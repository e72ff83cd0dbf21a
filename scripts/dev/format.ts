/** Turns an app's JSON log line into one readable, coloured, prefixed line. */
const RESET = "\x1b[0m";
const DIM = "\x1b[2m";
const LEVEL_COLOUR: Record<string, string> = { debug: DIM, info: "", warn: "\x1b[33m", error: "\x1b[31m" };
const SKIP = new Set(["time", "level", "service", "msg"]);

export function formatLine(name: string, colour: string, width: number, line: string): string {
  const prefix = `${colour}${name.padEnd(width)}${RESET} │ `;
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line);
    if (typeof record !== "object" || record === null || typeof record.msg !== "string") throw new Error("not a log");
  } catch {
    return prefix + line;
  }
  const level = String(record.level ?? "info");
  const fields = Object.entries(record)
    .filter(([key]) => !SKIP.has(key))
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(" ");
  return `${prefix}${LEVEL_COLOUR[level] ?? ""}${level.padEnd(5)} ${record.msg}${RESET}${fields ? ` ${DIM}${fields}${RESET}` : ""}`;
}
