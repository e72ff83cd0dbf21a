/** Carries the current trace into Connect/gRPC calls as a W3C `traceparent` request header. */
import type { Interceptor } from "@connectrpc/connect";
import { TRACEPARENT_HEADER } from "./nats.ts";
import { childSpan, currentTrace, formatTraceparent } from "./trace.ts";

/** Client interceptor: every call starts a child span of the work in progress (or a new trace outside one). */
export const traceparentInterceptor: Interceptor = (next) => async (req) => {
  req.header.set(TRACEPARENT_HEADER, formatTraceparent(childSpan(currentTrace())));
  return next(req);
};
