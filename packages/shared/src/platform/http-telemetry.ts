/**
 * What every HTTP app measures and traces per request, the same everywhere: a SERVER span continuing the
 * caller's `traceparent` (the handler, its hooks and its log lines run inside it), and the RED pair
 * forecourt_http_requests_total / forecourt_http_request_duration_seconds by method, route template and status.
 */
import { Elysia } from "elysia";
import { counter, histogram, labelledSeries } from "./metrics.ts";
import { extractContext, recordFailure, SpanKind, startSpan, withContext } from "./spans.ts";

/** Requests refused before any route matched (404, a guard in onRequest) share one label value. */
export const UNMATCHED_ROUTE = "unmatched";

const LABELS = ["method", "route", "status"] as const;

export function httpTelemetry() {
  const series = labelledSeries(
    counter({ name: "forecourt_http_requests_total", help: "HTTP requests answered, by method, route template and status", labelNames: LABELS }),
    histogram({ name: "forecourt_http_request_duration_seconds", help: "Time from request to response, by method, route template and status", labelNames: LABELS }),
  );
  const routes = new WeakMap<Request, string>();
  const remember = ({ request, route }: { request: Request; route?: string }) => {
    if (route) routes.set(request, route);
  };

  return (
    new Elysia({ name: "http-telemetry" })
      // Wraps the whole request (hooks, handler, error mapping), so everything it does runs inside its span.
      .wrap((handle, request) => (...args: unknown[]) => {
        const started = performance.now();
        const method = request.method;
        const { span, ctx } = startSpan(method, { kind: SpanKind.SERVER, parent: extractContext(request.headers), attributes: { "http.request.method": method } });
        const finish = (status: number, error?: unknown) => {
          const route = routes.get(request) ?? UNMATCHED_ROUTE;
          series({ method, route, status: String(status) }, (performance.now() - started) / 1000);
          if (route !== UNMATCHED_ROUTE) span.updateName(`${method} ${route}`).setAttribute("http.route", route);
          span.setAttribute("http.response.status_code", status);
          if (error !== undefined) recordFailure(span, error);
          else if (status >= 500) recordFailure(span, `HTTP ${status}`);
          span.end();
        };
        let result: unknown;
        try {
          result = withContext(ctx, () => (handle as (...a: unknown[]) => unknown)(...args));
        } catch (error) {
          finish(500, error);
          throw error;
        }
        return Promise.resolve(result).then(
          (response) => {
            // A WebSocket upgrade answers nothing here: Bun has already switched the connection's protocol.
            finish(response instanceof Response ? response.status : request.headers.get("upgrade") === "websocket" ? 101 : 200);
            return response;
          },
          (error: unknown) => {
            finish(500, error);
            throw error;
          },
        );
      })
      // The route template is known once routing is done: for handled requests, and for errors after routing.
      .onTransform({ as: "global" }, remember)
      .onError({ as: "global" }, remember)
  );
}
