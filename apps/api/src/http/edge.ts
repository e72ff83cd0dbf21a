/**
 * What every request passes through: its trace (the SERVER span http-telemetry.ts started, continuing the
 * caller's `traceparent`, echoed on the response), the body guards (415 for non-JSON, 413 over 16 KiB, before anything is parsed), one summary log
 * line per request, and the one place any error becomes RFC 9457 problem+json.
 */
import { listQueryErrors } from "@forecourt/shared/contracts";
import {
  activeSpanIds,
  DependencyUnavailableError,
  isNatsUnavailable,
  isStreamNotFound,
  problem,
  problemResponse,
  RETRY_AFTER_SECONDS,
  traceparentOf,
  type Logger,
} from "@forecourt/shared/platform";
import { Elysia, ValidationError } from "elysia";
import { authProblemHeaders } from "../dealers/dealer-auth.ts";
import { RateLimitedError, UnauthorizedError } from "../dealers/errors.ts";
import {
  InvalidVehicleError,
  ManufacturerNotFoundError,
  ModelNotFoundError,
  VehicleBusyError,
  VehicleExistsError,
  VehicleNotFoundError,
  VehicleNotOwnedError,
  type FieldError,
} from "../vehicles/errors.ts";
import { vehicleInputErrors, type RawVehicleInput } from "../vehicles/vehicle-input.ts";
import { ContentTooLargeError, UnknownModelError, UnsupportedMediaTypeError } from "./errors.ts";

export const MAX_BODY_BYTES = 16 * 1024;
export const HAL_CONTENT_TYPE = "application/hal+json";

interface RequestState {
  /** The request's span, read once inside it (the after-response hook runs outside). */
  ids?: { traceId: string; spanId: string };
  traceparent?: string;
  started: number;
  status?: number;
}
const states = new WeakMap<Request, RequestState>();

function state(request: Request): RequestState {
  let s = states.get(request);
  if (!s) states.set(request, (s = { ids: activeSpanIds(), traceparent: traceparentOf(), started: performance.now() }));
  return s;
}

function responseHeaders(request: Request, extra: Record<string, string> = {}): Record<string, string> {
  const { traceparent } = state(request);
  return traceparent ? { traceparent, ...extra } : extra;
}

export function hal(request: Request, body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  state(request).status = status;
  return new Response(JSON.stringify(body), { status, headers: responseHeaders(request, { "content-type": HAL_CONTENT_TYPE, ...headers }) });
}

export function noContent(request: Request): Response {
  state(request).status = 204;
  return new Response(null, { status: 204, headers: responseHeaders(request) });
}

const isJson = (contentType: string | null) => contentType !== null && /^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(contentType.trim());

async function guardBody(request: Request): Promise<void> {
  if (request.method !== "POST" && request.method !== "PUT" && request.method !== "PATCH") return;
  const contentType = request.headers.get("content-type");
  if (!isJson(contentType)) throw new UnsupportedMediaTypeError(contentType);
  const declared = request.headers.get("content-length");
  // Chunked bodies declare no length: measure a copy (Bun caps what it buffers at maxRequestBodySize).
  const size = declared !== null ? Number(declared) : (await request.clone().arrayBuffer()).byteLength;
  if (!(size <= MAX_BODY_BYTES)) throw new ContentTooLargeError(MAX_BODY_BYTES, size);
}

/**
 * Per-field reasons for a request Elysia's schemas rejected, in the domain's words: the query rules for GETs,
 * the vehicle rules for bodies (for fields sent or flagged, as routes' bodies differ); Elysia's own list as a fallback.
 */
function validationErrors(error: ValidationError, request: Request): FieldError[] {
  if (request.method === "GET") {
    const errors = listQueryErrors(new URL(request.url).searchParams);
    if (errors.length) return errors;
  } else if (error.type === "body") {
    const value = error.value;
    if (typeof value !== "object" || value === null || Array.isArray(value)) return [{ field: "body", reason: "must be a JSON object" }];
    const present = new Set((error.all as { path?: string }[]).map((e) => (e.path ?? "").split("/")[1]));
    const errors = vehicleInputErrors(value as RawVehicleInput).filter((e) => present.has(e.field) || e.field in value);
    if (errors.length) return errors;
  }
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  for (const e of error.all as { path?: string; summary?: string; message?: string }[]) {
    const field = (e.path ?? "").replace(/^\//, "").replaceAll("/", ".") || "request";
    if (seen.has(field)) continue;
    seen.add(field);
    errors.push({ field, reason: e.summary ?? e.message ?? "is invalid" });
  }
  return errors;
}

/**
 * No field of a vehicle body is ever an object or array. Refusing those before Elysia's schema check gives the
 * domain's per-field reasons, and keeps values such as {"toString":0} away from Elysia's error formatting,
 * which throws a TypeError on them (a 500 found by the property test).
 */
function rejectNestedFields(body: unknown): void {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return;
  const errors: FieldError[] = [];
  for (const [field, value] of Object.entries(body)) {
    if (typeof value === "object" && value !== null) errors.push({ field, reason: "must be a string or a number, not an object or array" });
  }
  if (errors.length) throw new InvalidVehicleError(errors);
}

/** Translates any error into a problem; unknown errors are logged and their message kept from the client. */
export function toProblem(error: unknown, code: string | number, request: Request, log: Logger) {
  const path = new URL(request.url).pathname;
  const at = { instance: path };
  if (code === "VALIDATION" && error instanceof ValidationError) {
    const errors = validationErrors(error, request);
    return problem(400, `the request is invalid: ${errors.map((e) => `${e.field} ${e.reason}`).join("; ")}`, { ...at, errors });
  }
  if (error instanceof InvalidVehicleError) return problem(400, `the request is invalid: ${error.message}`, { ...at, errors: error.errors });
  if (code === "PARSE") return problem(400, "the request body is not well-formed JSON", at);
  if (error instanceof UnauthorizedError) return problem(401, error.message, at);
  if (error instanceof VehicleNotOwnedError) return problem(403, error.message, at);
  if (error instanceof VehicleNotFoundError || error instanceof ModelNotFoundError || error instanceof ManufacturerNotFoundError)
    return problem(404, error.message, at);
  if (code === "NOT_FOUND") return problem(404, `no resource at ${path}; start at /api`, at);
  if (error instanceof VehicleExistsError || error instanceof VehicleBusyError) return problem(409, error.message, at);
  if (error instanceof ContentTooLargeError) return problem(413, error.message, at);
  if (error instanceof UnsupportedMediaTypeError) return problem(415, error.message, at);
  if (error instanceof UnknownModelError) return problem(422, error.message, { ...at, errors: [{ field: "modelCode", reason: "is not in the catalog" }] });
  if (error instanceof RateLimitedError) return problem(429, error.message, at);
  // NATS down or restarting, a stream electing its leader, or a stream the API needs gone: the client's request was fine and may succeed later.
  if (isNatsUnavailable(error) || isStreamNotFound(error)) {
    const reason = error instanceof DependencyUnavailableError ? error.reason : undefined;
    log.warn("request refused: dependency unavailable", { path, reason, error: reason ? undefined : error });
    return problem(
      503,
      `the vehicle store is unavailable (${reason ?? "not answering: a NATS server or stream leader is changing over"}); retry in ${RETRY_AFTER_SECONDS} s. A create retried after this may answer 409: then the first attempt was stored`,
      at,
    );
  }
  log.error("request failed", { path, error, stack: (error as Error)?.stack });
  return problem(500, "something went wrong on our side; the request id is in the traceparent header", at);
}

export function edge(log: Logger) {
  return new Elysia({ name: "edge" })
    .onRequest(async ({ request }) => {
      state(request);
      await guardBody(request);
    })
    .onTransform({ as: "global" }, ({ body }) => rejectNestedFields(body))
    .onError({ as: "global" }, ({ request, error, code }) => {
      const details = toProblem(error, code, request, log);
      state(request).status = details.status;
      // RFC 9110 §10.2.3: how long to wait before trying again (503); the challenge on 401, the wait on 429.
      return problemResponse(details, responseHeaders(request, { ...(details.status === 503 ? { "retry-after": String(RETRY_AFTER_SECONDS) } : {}), ...authProblemHeaders(error) }));
    })
    .onAfterResponse({ as: "global" }, ({ request, set, path }) => {
      const s = state(request);
      log.info("request", {
        ...s.ids,
        method: request.method,
        path,
        status: s.status ?? set.status,
        durationMs: Math.round((performance.now() - s.started) * 10) / 10,
      });
    });
}
