/** The price calculator as a readiness dependency: the standard gRPC health check (grpc.health.v1), within 1.5 s. */
import { createClient, type Transport } from "@connectrpc/connect";
import { SERVICES } from "@forecourt/shared/contracts";
import type { NatsConnection } from "@nats-io/transport-node";
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

/** Over NATS: some price calculator answers the micro service ping (in a workshop, any participant's). */
export function pricingServiceDependency(nc: NatsConnection, timeoutMs = 1_500): Dependency {
  return {
    name: "pricing",
    async probe() {
      try {
        await nc.request(`$SRV.PING.${SERVICES.pricing}`, "", { timeout: timeoutMs });
        return undefined;
      } catch (error) {
        return `no price calculator answers on NATS (${SERVICES.pricing}): ${error instanceof Error ? error.message : String(error)}`;
      }
    },
  };
}
