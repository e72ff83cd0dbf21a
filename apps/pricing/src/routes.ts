/** Every RPC service the pricing app serves, with the interceptors every call goes through. */
import type { DescService } from "@bufbuild/protobuf";
import type { ConnectRouter, ConnectRouterOptions } from "@connectrpc/connect";
import { PriceCalculatorService } from "@forecourt/shared/gen/forecourt/pricing/v1/pricing_pb";
import { Health } from "@forecourt/shared/gen/grpc/health/v1/health_pb";
import * as reflectionV1 from "@forecourt/shared/gen/grpc/reflection/v1/reflection_pb";
import * as reflectionV1alpha from "@forecourt/shared/gen/grpc/reflection/v1alpha/reflection_pb";
import { type Logger } from "@forecourt/shared/platform";
import { rpcServerTelemetry } from "@forecourt/shared/platform/rpc";
import { createDeadlineInterceptor } from "./deadline-interceptor.ts";
import { createHealthService } from "./health-service.ts";
import type { PriceCalculator } from "./pricing-service.ts";
import { createReflectionServiceV1, createReflectionServiceV1alpha, createReflector } from "./reflection-service.ts";
import { createRpcInterceptor, type RpcStats } from "./rpc-interceptor.ts";

export const SERVED_SERVICES: DescService[] = [PriceCalculatorService, Health, reflectionV1.ServerReflection, reflectionV1alpha.ServerReflection];

export interface RoutesDeps {
  calculator: PriceCalculator;
  isServing: () => Promise<boolean>;
  healthWatchIntervalMs?: number;
  /** Aborted first on shutdown, so long-lived streams finish cleanly before the listeners close. */
  stopping?: AbortSignal;
}

export function createRoutes({ calculator, isServing, healthWatchIntervalMs, stopping }: RoutesDeps): (router: ConnectRouter) => void {
  const reflector = createReflector(SERVED_SERVICES);
  const health = createHealthService({ services: SERVED_SERVICES.map((s) => s.typeName), isServing, watchIntervalMs: healthWatchIntervalMs, stopping });
  return (router) =>
    router
      .service(PriceCalculatorService, calculator)
      .service(Health, health)
      .service(reflectionV1.ServerReflection, createReflectionServiceV1(reflector))
      .service(reflectionV1alpha.ServerReflection, createReflectionServiceV1alpha(reflector));
}

export interface RouterOptionsDeps {
  log: Logger;
  /** The limit for a unary call that carries no deadline of its own. */
  defaultTimeoutMs: number;
  /** The largest request message read; connect refuses bigger ones with RESOURCE_EXHAUSTED before reading them. */
  readMaxBytes?: number;
  stats?: RpcStats;
}

export function routerOptions({ log, defaultTimeoutMs, readMaxBytes, stats }: RouterOptionsDeps): ConnectRouterOptions {
  // The first interceptor is the outermost: the span and metrics see the code the client gets, the summary line deadline errors too.
  return { readMaxBytes, interceptors: [rpcServerTelemetry(), createRpcInterceptor(log, stats), createDeadlineInterceptor(defaultTimeoutMs)] };
}
