import { describe, expect, test } from "bun:test";
import { placedReplicas, ReplicaError, replicaAction } from "./replicas.ts";

describe("replicaAction", () => {
  test("a missing stream is created with the wanted count", () => {
    expect(replicaAction({ current: undefined, wanted: 3, clustered: false })).toBe("create");
  });

  test("a stream with fewer replicas is raised on a cluster and refused on a single server", () => {
    expect(replicaAction({ current: 1, wanted: 3, clustered: true })).toBe("raise");
    expect(replicaAction({ current: 1, wanted: 3, clustered: false })).toBe("refuse-unclustered");
  });

  test("a stream with as many or more replicas is kept, never lowered", () => {
    expect(replicaAction({ current: 3, wanted: 3, clustered: true })).toBe("keep");
    expect(replicaAction({ current: 3, wanted: 1, clustered: true })).toBe("keep");
    expect(replicaAction({ current: 1, wanted: 1, clustered: false })).toBe("keep");
  });
});

test("placed replicas count the leader and every follower once; a single server's stream has one", () => {
  expect(placedReplicas({ cluster: undefined })).toBe(1);
  expect(placedReplicas({ cluster: { name: "c", leader: "nats-1" } })).toBe(1);
  const peer = (name: string) => ({ name, current: true, active: 0, offline: false, lag: 0 });
  expect(placedReplicas({ cluster: { name: "c", leader: "nats-1", replicas: [peer("nats-2"), peer("nats-3")] } })).toBe(3);
  // Just after a raise the leader may be listed among the replicas, or not at all.
  expect(placedReplicas({ cluster: { name: "c", replicas: [peer("nats-1"), peer("nats-2"), peer("nats-3")] } })).toBe(3);
});

test("a replica error is one line naming the stream, both counts and the way out", () => {
  const error = new ReplicaError("VEHICLES", 3, 1, "the server is not part of a JetStream cluster");
  expect(error.message).not.toContain("\n");
  expect(error.message).toBe(
    "stream VEHICLES has 1 replica and cannot be raised to 3: the server is not part of a JetStream cluster; NATS_REPLICAS=3 needs a JetStream cluster of at least 3 servers (bun run dev --cluster), or set NATS_REPLICAS=1",
  );
  expect(new ReplicaError("KV_vehicles", 3, undefined, "no").message).toStartWith("cannot create stream KV_vehicles with 3 replicas: no;");
});
