/** Structured JSON-lines logs: one object per line on stdout, `msg` constant, data in fields, inside a span its traceId and spanId. */
import { writeSync } from "node:fs";
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

export interface LineBuffer {
  write(line: string): void;
  /** Hands over what is collected now, to `to` instead of the usual output when given. */
  flush(to?: (text: string) => void): void;
}

/** How long a line may wait for others to share its write. */
export const LOG_FLUSH_MS = 5;

/** Runs the flush after LOG_FLUSH_MS without keeping the process alive for it (exit flushes what is left). */
const afterFlushDelay = (flush: () => void) => void setTimeout(flush, LOG_FLUSH_MS).unref();

/**
 * Collects lines for a few milliseconds and hands them to `out` in one write: a write per line costs each app
 * about 5 µs (a syscall and Node's stream machinery), at thousands of requests and events a second, and an HTTP
 * request is a turn of the event loop of its own, so batching per turn alone would not gather them.
 */
export function createLineBuffer(out: (text: string) => void, schedule: (flush: () => void) => void = afterFlushDelay): LineBuffer {
  let pending = "";
  const flush = (to = out) => {
    if (!pending) return;
    const text = pending;
    pending = "";
    to(text);
  };
  return {
    write(line) {
      if (!pending) schedule(() => flush());
      pending += line + "\n";
    },
    flush,
  };
}

let stdoutLines: LineBuffer | undefined;

/** The process's one stdout buffer, shared by every logger so lines keep their order. */
function stdoutLine(line: string): void {
  if (!stdoutLines) {
    const lines = createLineBuffer((text) => process.stdout.write(text));
    // No timer fires after exit (a config error, the end of a shutdown): write what is left, blocking.
    process.once("exit", () => lines.flush((text) => writeSync(1, text)));
    stdoutLines = lines;
  }
  stdoutLines.write(line);
}

export function createLogger(options: LoggerOptions): Logger {
  const threshold = RANK[options.level ?? "info"];
  const write = options.write ?? stdoutLine;
  const base = options.fields ?? {};

  const emit = (level: LogLevel, msg: string, fields?: LogFields) => {
    if (RANK[level] < threshold) return;
    const ids = activeSpanIds();
    const record: LogFields = { time: new Date().toISOString(), level, service: options.service, msg };
    if (ids) {
      record.traceId = ids.traceId;
      record.spanId = ids.spanId;
    }
    for (const source of [base, fields]) {
      if (source) for (const key in source) if (source[key] !== undefined) record[key] = serialise(source[key]);
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
