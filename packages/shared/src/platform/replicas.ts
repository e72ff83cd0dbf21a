/**
 * How many copies of a stream JetStream keeps (NATS_REPLICAS), and what to do with a stream that has fewer:
 * raise it (nats-server scales a stream's Raft group up in place) or refuse in one line, never leave it
 * silently below the setting. A stream with more replicas than asked is kept as it is: at start a lower
 * setting is more likely a missing variable than a wish, and lowering is an operator's act
 * (`nats stream edit VEHICLES --replicas 1`).
 */
import type { StreamInfo } from "@nats-io/jetstream";

/** JetStream keeps at most five copies of a stream. */
export const MAX_REPLICAS = 5;

export type ReplicaAction = "create" | "keep" | "raise" | "refuse-unclustered";

export interface ReplicaState {
  /** The stream's configured replica count; undefined when it does not exist yet. */
  current: number | undefined;
  wanted: number;
  /** Whether the server answering is a member of a JetStream cluster (a stream's info names its cluster). */
  clustered: boolean;
}

/**
 * A single server takes `num_replicas: 3` in an update without complaint and keeps one copy, so a raise is
 * refused before it is tried unless the server is clustered. Creation needs no such check: the server
 * refuses it itself.
 */
export function replicaAction({ current, wanted, clustered }: ReplicaState): ReplicaAction {
  if (current === undefined) return "create";
  if (current >= wanted) return "keep";
  return clustered ? "raise" : "refuse-unclustered";
}

/** The distinct servers holding the stream right now (its leader and followers); 1 for a single server. */
export function placedReplicas(info: Pick<StreamInfo, "cluster">): number {
  const names = new Set([info.cluster?.leader, ...(info.cluster?.replicas ?? []).map((r) => r.name)].filter(Boolean));
  return Math.max(names.size, 1);
}

/** A stream or bucket could not be given the replicas asked for; the message is one line saying why and what to do. */
export class ReplicaError extends Error {
  constructor(
    readonly stream: string,
    readonly wanted: number,
    readonly current: number | undefined,
    reason: string,
    options?: ErrorOptions,
  ) {
    const what = current === undefined ? `cannot create stream ${stream} with ${wanted} replicas` : `stream ${stream} has ${current} replica${current === 1 ? "" : "s"} and cannot be raised to ${wanted}`;
    super(`${what}: ${reason}; NATS_REPLICAS=${wanted} needs a JetStream cluster of at least ${wanted} servers (bun run dev --cluster), or set NATS_REPLICAS=${current ?? 1}`, options);
    this.name = "ReplicaError";
  }
}
