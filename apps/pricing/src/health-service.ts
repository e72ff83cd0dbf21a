/** grpc.health.v1.Health (https://github.com/grpc/grpc/blob/master/doc/health-checking.md) for generic probes. */
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import {
  Health,
  HealthCheckResponse_ServingStatus as ServingStatus,
  HealthCheckResponseSchema,
  type HealthCheckRequest,
} from "@forecourt/shared/gen/grpc/health/v1/health_pb";

export interface HealthServiceOptions {
  /** Fully qualified names of the services this server answers for; "" (the whole server) is always known. */
  services: string[];
  /** True while the server can do its work (the same checks as GET /health/ready). */
  isServing: () => Promise<boolean>;
  /** How often Watch re-checks; changes are sent only when the status changes. */
  watchIntervalMs?: number;
  /** Aborted when the server begins to stop: open Watch streams then end with OK instead of being cut. */
  stopping?: AbortSignal;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}

export function createHealthService({ services, isServing, watchIntervalMs = 1_000, stopping }: HealthServiceOptions): ServiceImpl<typeof Health> {
  const known = new Set(["", ...services]);
  const status = async (service: string) => {
    if (!known.has(service)) return ServingStatus.SERVICE_UNKNOWN;
    return (await isServing()) ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
  };
  return {
    async check(req: HealthCheckRequest) {
      if (!known.has(req.service)) throw new ConnectError(`unknown service "${req.service}"`, Code.NotFound);
      return create(HealthCheckResponseSchema, { status: await status(req.service) });
    },
    async *watch(req: HealthCheckRequest, ctx: HandlerContext) {
      let last: ServingStatus | undefined;
      const signal = stopping ? AbortSignal.any([ctx.signal, stopping]) : ctx.signal;
      while (!signal.aborted) {
        const current = await status(req.service);
        if (current !== last) yield create(HealthCheckResponseSchema, { status: current });
        last = current;
        await sleep(watchIntervalMs, signal);
      }
    },
  };
}
