/**
 * Connect/gRPC interceptors: on the server a SERVER span per call (continuing the caller's `traceparent`) and
 * the RED metrics forecourt_rpc_requests_total / forecourt_rpc_request_duration_seconds by service, method and
 * status code; on the client a CLIENT span per call whose context travels as `traceparent`.
 * Streams are counted and their span ended when they end, not when the handler returns.
 */
import { Code, ConnectError, type Interceptor, type StreamResponse } from "@connectrpc/connect";
import { counter, histogram, labelledSeries } from "./metrics.ts";
import { extractContext, injectContext, inSpan, recordFailure, SpanKind, startSpan, withContext } from "./spans.ts";

const LABELS = ["service", "method", "code"] as const;

/** gRPC status names as grpc-go and the gRPC docs write them: OK, NotFound, DeadlineExceeded, … */
export function grpcCodeName(error: unknown): string {
  if (error === undefined) return "OK";
  return Code[error instanceof ConnectError ? error.code : Code.Unknown] ?? "Unknown";
}

const rpcAttributes = (service: string, method: string) => ({ "rpc.system": "grpc", "rpc.service": service, "rpc.method": method });

/**
 * Outermost server interceptor: it sees the code the client gets, after the app's own interceptors have
 * translated errors.
 */
export function rpcServerTelemetry(): Interceptor {
  const series = labelledSeries(
    counter({ name: "forecourt_rpc_requests_total", help: "RPCs answered, by service, method and gRPC status code", labelNames: LABELS }),
    histogram({ name: "forecourt_rpc_request_duration_seconds", help: "Time from call to last response message, by service, method and gRPC status code", labelNames: LABELS }),
  );
  return (next) => async (req) => {
    const started = performance.now();
    const service = req.service.typeName;
    const method = req.method.name;
    const { span, ctx } = startSpan(`${service}/${method}`, { kind: SpanKind.SERVER, parent: extractContext(req.header), attributes: rpcAttributes(service, method) });
    const done = (error?: unknown) => {
      const code = grpcCodeName(error);
      series({ service, method, code }, (performance.now() - started) / 1000);
      span.setAttribute("rpc.grpc.status_code", error instanceof ConnectError ? error.code : error === undefined ? 0 : Code.Unknown);
      if (error !== undefined) recordFailure(span, error);
      span.end();
    };
    try {
      const res = await withContext(ctx, () => next(req));
      if (!res.stream) {
        done();
        return res;
      }
      return { ...res, message: observed(res.message, done) } satisfies StreamResponse;
    } catch (error) {
      done(error);
      throw error;
    }
  };
}

async function* observed<T>(messages: AsyncIterable<T>, done: (error?: unknown) => void): AsyncIterable<T> {
  try {
    yield* messages;
  } catch (error) {
    done(error);
    throw error;
  }
  done();
}

/** Client interceptor: a CLIENT span per unary call, its context sent as `traceparent`. */
export const rpcClientTelemetry: Interceptor = (next) => (req) =>
  inSpan(`${req.service.typeName}/${req.method.name}`, { kind: SpanKind.CLIENT, attributes: rpcAttributes(req.service.typeName, req.method.name) }, (span) => {
    injectContext(req.header);
    return next(req).then(
      (res) => res,
      (error: unknown) => {
        span.setAttribute("rpc.grpc.status_code", error instanceof ConnectError ? error.code : Code.Unknown);
        throw error;
      },
    );
  });
