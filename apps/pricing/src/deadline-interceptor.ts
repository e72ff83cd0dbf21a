/**
 * Deadlines: a client's own (grpc-timeout, connect-timeout-ms) is honoured as sent; a unary call that sent
 * none gets the server's limit, so no request can hold resources forever. Streams are left alone: a health
 * Watch or a reflection session lasts as long as its client wants.
 */
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";

const TIMEOUT_HEADERS = ["grpc-timeout", "connect-timeout-ms"];

/** The client's deadline arrives as a ConnectError, the server's limit as a TimeoutError; anything else is a cancel. */
function abortError(signal: AbortSignal): ConnectError {
  const reason: unknown = signal.reason;
  if (reason instanceof ConnectError) return reason;
  if (reason instanceof DOMException && reason.name === "TimeoutError") {
    return new ConnectError("the server's time limit for this call ran out", Code.DeadlineExceeded);
  }
  return new ConnectError("the call was cancelled", Code.Canceled);
}

export function createDeadlineInterceptor(defaultTimeoutMs: number): Interceptor {
  return (next) => async (req) => {
    if (req.stream) return next(req);
    const hasClientDeadline = TIMEOUT_HEADERS.some((name) => req.header.has(name));
    const signal = hasClientDeadline ? req.signal : AbortSignal.any([req.signal, AbortSignal.timeout(defaultTimeoutMs)]);
    if (signal.aborted) throw abortError(signal);
    let onAbort!: () => void;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(abortError(signal));
      signal.addEventListener("abort", onAbort, { once: true });
    });
    try {
      return await Promise.race([next({ ...req, signal }), aborted]);
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  };
}
