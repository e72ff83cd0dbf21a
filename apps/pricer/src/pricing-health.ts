/** The price calculators over NATS as a readiness dependency (over gRPC the pool health-checks its own: pricing-pool.ts). */
import { SERVICES } from "@forecourt/shared/contracts";
import type { NatsConnection } from "@nats-io/transport-node";
import type { Dependency } from "@forecourt/shared/platform";

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
