/** Structured JSON-lines logs: one object per line on stdout, `msg` constant, data in fields, inside a span its traceId and spanId. */
import type { LogLevel } from "./config.ts";
import { activeSpanIds } from "./spans.ts";

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  service: string;
  level?: LogLevel;
  /** Where lines go; stdout unless a test captures them. */
  write?: (line: string) => void;
  fields?: LogFields;
}

/** How many causes deep an error is written; a cycle or a long chain stops here. */
const MAX_CAUSE_DEPTH = 5;

function serialiseError(error: Error, depth: number): LogFields {
  const fields: LogFields = { name: error.name, message: error.message };
  // Typed client errors (JetStream API errors, Connect errors, Node's system errors) say what failed in `code`.
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" || typeof code === "number") fields.code = code;
  if (error.stack) fields.stack = error.stack;
  if (error.cause !== undefined) {
    fields.cause = depth < MAX_CAUSE_DEPTH ? serialise(error.cause, depth + 1) : "(further causes left out)";
  }
  return fields;
}

function serialise(value: unknown, depth = 0): unknown {
  if (value instanceof Error) return serialiseError(value, depth);
  if (typeof value === "bigint") return value.toString();
  return value;
}

export function createLogger(options: LoggerOptions): Logger {
  const threshold = RANK[options.level ?? "info"];
  const write = options.write ?? ((line: string) => process.stdout.write(line + "\n"));
  const base = options.fields ?? {};

  const emit = (level: LogLevel, msg: string, fields?: LogFields) => {
    if (RANK[level] < threshold) return;
    const ids = activeSpanIds();
    const record: LogFields = { time: new Date().toISOString(), level, service: options.service, msg };
    if (ids) {
      record.traceId = ids.traceId;
      record.spanId = ids.spanId;
    }
    for (const [key, value] of Object.entries({ ...base, ...fields })) {
      if (value !== undefined) record[key] = serialise(value);
    }
    write(JSON.stringify(record));
  };

  return {
    debug: (msg, fields) => emit("debug", msg, fields),
    info: (msg, fields) => emit("info", msg, fields),
    warn: (msg, fields) => emit("warn", msg, fields),
    error: (msg, fields) => emit("error", msg, fields),
    child: (fields) => createLogger({ ...options, fields: { ...base, ...fields } }),
  };
}
