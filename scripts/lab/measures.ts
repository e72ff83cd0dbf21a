/**
 * The lab's arithmetic, pure: latency percentiles, what crossed per second, and the lost/duplicated count of a step
 * from the events found in every participant's VEHICLES.
 */
import { ascending, percentile } from "../report/percentiles.ts";

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
}

export { percentile };

export function summarise(values: readonly number[]): LatencySummary {
  const sorted = ascending(values);
  return { count: sorted.length, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99) };
}

/** Cars that crossed per second: deliveries over the time from the first car listed to the last delivery. */
export function crossingRate(deliveries: number, firstSentAt: number, lastDeliveredAt: number): number {
  const seconds = (lastDeliveredAt - firstSentAt) / 1000;
  return deliveries > 0 && seconds > 0 ? deliveries / seconds : 0;
}

export interface DeliveryCount {
  /** Expected events (each in each VEHICLES) not found. */
  lost: number;
  /** Copies beyond the first of any expected event. */
  duplicated: number;
  /** Expected events found exactly once. */
  once: number;
  /** The expected keys missing from at least one stream. */
  missing: string[];
}

/**
 * `expected`: the keys every stream must hold once (e.g. "listed.alice.L0A1"); `found`: per stream, the keys of the
 * events it holds (keys of other steps are ignored).
 */
export function countDeliveries(expected: readonly string[], found: readonly (readonly string[])[]): DeliveryCount {
  const wanted = new Set(expected);
  const result: DeliveryCount = { lost: 0, duplicated: 0, once: 0, missing: [] };
  const missing = new Set<string>();
  for (const keys of found) {
    const copies = new Map<string, number>();
    for (const key of keys) if (wanted.has(key)) copies.set(key, (copies.get(key) ?? 0) + 1);
    for (const key of wanted) {
      const n = copies.get(key) ?? 0;
      if (n === 0) {
        result.lost++;
        missing.add(key);
      } else {
        result.once++;
        result.duplicated += n - 1;
      }
    }
  }
  result.missing = [...missing].sort();
  return result;
}

export interface StepCount extends DeliveryCount {
  /** Cars whose priced event is not in their own participant's VEHICLES yet (not priced: no event to lose). */
  unpriced: string[];
}

/**
 * A step's events in every VEHICLES: each car's listed event, and its priced event once its own participant published
 * it, must be in every stream exactly once. `cars`: [origin, registration]; `streams`: participant → its keys.
 */
export function countStep(cars: readonly (readonly [string, string])[], streams: Readonly<Record<string, readonly string[]>>): StepCount {
  const expected: string[] = [];
  const unpriced: string[] = [];
  for (const [origin, registration] of cars) {
    expected.push(`listed.${origin}.${registration}`);
    const priced = `priced.${origin}.${registration}`;
    if (streams[origin]?.includes(priced)) expected.push(priced);
    else unpriced.push(`${origin}.${registration}`);
  }
  return { ...countDeliveries(expected, Object.values(streams)), unpriced };
}
