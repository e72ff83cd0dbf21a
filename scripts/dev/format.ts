/** Turns an app's JSON log line into one readable, coloured, prefixed line. */
const RESET = "\x1b[0m";
const DIM = "\x1b[2m";
const LEVEL_COLOUR: Record<string, string> = { debug: DIM, info: "", warn: "\x1b[33m", error: "\x1b[31m" };
const SKIP = new Set(["time", "level", "service", "msg"]);

// Every line of an app has the same prefix; under load the runner formats thousands of lines a second.
const prefixes = new Map<string, string>();

function prefixOf(name: string, colour: string, width: number): string {
  const key = `${name}\0${colour}\0${width}`;
  let prefix = prefixes.get(key);
  if (prefix === undefined) prefixes.set(key, (prefix = `${colour}${name.padEnd(width)}${RESET} │ `));
  return prefix;
}

export function formatLine(name: string, colour: string, width: number, line: string): string {
  const prefix = prefixOf(name, colour, width);
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line);
    if (typeof record !== "object" || record === null || typeof record.msg !== "string") throw new Error("not a log");
  } catch {
    return prefix + line;
  }
  const level = String(record.level ?? "info");
  let fields = "";
  for (const key in record) {
    if (SKIP.has(key)) continue;
    const value = record[key];
    fields += `${fields ? " " : ""}${key}=${typeof value === "string" ? value : JSON.stringify(value)}`;
  }
  return `${prefix}${LEVEL_COLOUR[level] ?? ""}${level.padEnd(5)} ${record.msg}${RESET}${fields ? ` ${DIM}${fields}${RESET}` : ""}`;
}
