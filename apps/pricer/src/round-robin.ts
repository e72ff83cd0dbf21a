/**
 * Which price calculator gets the next call: round-robin over the ones that are up. Pure state; the pool
 * (pricing-pool.ts) marks a target down when a call finds it unreachable and up when a health check answers.
 */

export interface Target {
  url: string;
  up: boolean;
  /** Calls started on it, and how many of those failed for any reason. */
  calls: number;
  failures: number;
}

export class RoundRobin {
  readonly targets: Target[];
  private cursor = 0;

  constructor(urls: string[]) {
    if (urls.length === 0) throw new Error("a round-robin needs at least one target");
    this.targets = urls.map((url) => ({ url, up: true, calls: 0, failures: 0 }));
  }

  /** The next target that is up and not in `skip` (those already tried for this call), or undefined. */
  next(skip: ReadonlySet<number> = new Set()): number | undefined {
    for (let step = 0; step < this.targets.length; step++) {
      const i = (this.cursor + step) % this.targets.length;
      if (this.targets[i]!.up && !skip.has(i)) {
        this.cursor = (i + 1) % this.targets.length;
        return i;
      }
    }
    return undefined;
  }

  /** True when this changed its state (so the change is logged once). */
  setUp(i: number, up: boolean): boolean {
    const target = this.targets[i]!;
    if (target.up === up) return false;
    target.up = up;
    return true;
  }

  upCount(): number {
    return this.targets.filter((t) => t.up).length;
  }
}
