/**
 * The one place RPC errors are translated: typed domain errors become Connect codes, anything unknown
 * becomes Internal with its message logged but never sent. Logs one summary line per RPC inside the call's
 * span (rpcServerTelemetry, the outermost interceptor, continues the caller's trace).
 */
import { Code, ConnectError, type Interceptor, type StreamResponse } from "@connectrpc/connect";
import { activeContext, isNatsUnavailable, withContext, type Logger } from "@forecourt/shared/platform";
import { CatalogUnavailableError } from "./availability.ts";
import { InvalidFieldError } from "./price-rules.ts";
import { BATCH_TRACE_IDS, ModelNotFoundError } from "./pricing-service.ts";

/** A Connect error safe to send to the client: domain errors keep their message, unknown ones do not. */
export function toConnectError(error: unknown): ConnectError {
  if (error instanceof ConnectError) return error;
  if (error instanceof InvalidFieldError) return new ConnectError(error.message, Code.InvalidArgument);
  if (error instanceof ModelNotFoundError) return new ConnectError(error.message, Code.NotFound);
  if (error instanceof CatalogUnavailableError) return new ConnectError(error.message, Code.Unavailable);
  if (isNatsUnavailable(error)) return new ConnectError("a service the price calculator needs is unavailable; retry shortly", Code.Unavailable);
  return new ConnectError("internal error", Code.Internal);
}

const CLIENT_FAULTS = new Set([Code.InvalidArgument, Code.NotFound, Code.Canceled, Code.DeadlineExceeded, Code.FailedPrecondition]);

/** Load balancers probe this every second or so (the pricer does): an answered probe is routine, logged at debug. */
const ROUTINE = new Set(["grpc.health.v1.Health/Check"]);

/** Calls per method and outcome, e.g. { "forecourt.pricing.v1.PriceCalculatorService/GetPrice": { ok: 3, NotFound: 1 } }. */
export type RpcStats = Record<string, Record<string, number>>;

export function createRpcInterceptor(log: Logger, stats: RpcStats = {}): Interceptor {
  return (next) => (req) => {
    const ctx = activeContext();
    const started = performance.now();
    const fields = { rpc: `${req.service.typeName}/${req.method.name}`, contentType: req.header.get("content-type") ?? undefined };
    const count = (code: string) => {
      const byCode = (stats[fields.rpc] ??= {});
      byCode[code] = (byCode[code] ?? 0) + 1;
    };
    // A stream ends after this function returned, so its summary re-enters the call's span explicitly.
    const done = (error?: unknown): ConnectError | undefined =>
      withContext(ctx, () => {
        const durationMs = Math.round((performance.now() - started) * 10) / 10;
        // A GetPrices call serves many cars: its one line names each car's trace, so every car can be followed.
        const traceIds = req.contextValues.get(BATCH_TRACE_IDS);
        if (traceIds.length) Object.assign(fields, { traceIds });
        if (error === undefined) {
          count("ok");
          log[ROUTINE.has(fields.rpc) ? "debug" : "info"]("rpc", { ...fields, code: "ok", durationMs });
          return undefined;
        }
        // A client that hangs up mid-stream surfaces as a transport error; it is the client's choice, not our fault.
        const connectError = req.signal.aborted && !(error instanceof ConnectError) ? new ConnectError("the client cancelled", Code.Canceled) : toConnectError(error);
        const code = Code[connectError.code];
        count(code);
        if (CLIENT_FAULTS.has(connectError.code)) log.info("rpc", { ...fields, code, durationMs, reason: connectError.rawMessage });
        else if (connectError.code === Code.Unavailable) log.warn("rpc", { ...fields, code, durationMs, reason: connectError.rawMessage });
        else log.error("rpc", { ...fields, code, durationMs, error });
        return connectError;
      });
    return (async () => {
      try {
        const res = await next(req);
        if (!res.stream) {
          done();
          return res;
        }
        return { ...res, message: summarised(res.message, done) } satisfies StreamResponse;
      } catch (error) {
        throw done(error);
      }
    })();
  };
}

/** Passes a stream through, summarising it when it ends; errors raised mid-stream are translated like any other. */
async function* summarised<T>(messages: AsyncIterable<T>, done: (error?: unknown) => ConnectError | undefined): AsyncIterable<T> {
  try {
    yield* messages;
  } catch (error) {
    throw done(error);
  }
  done();
}
