/** The price calculator as a readiness dependency: the standard gRPC health check (grpc.health.v1), within 1.5 s. */
import { createClient, type Transport } from "@connectrpc/connect";
import { Health, HealthCheckResponse_ServingStatus as ServingStatus } from "@forecourt/shared/gen/grpc/health/v1/health_pb";
import type { Dependency } from "@forecourt/shared/platform";

export function pricingDependency(transport: Transport, url: string, timeoutMs = 1_500): Dependency {
  const health = createClient(Health, transport);
  return {
    name: "pricing",
    async probe() {
      try {
        const { status } = await health.check({ service: "" }, { timeoutMs });
        return status === ServingStatus.SERVING ? undefined : `the price calculator at ${url} is ${ServingStatus[status]}`;
      } catch (error) {
        return `the price calculator at ${url} does not answer: ${error instanceof Error ? error.message : String(error)}`;
      }
    },
  };
}
