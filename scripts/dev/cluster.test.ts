import { expect, test } from "bun:test";
import { planDev } from "./apps.ts";
import { devReplicas, planCluster } from "./cluster.ts";

test("the dev cluster: nats-1..3 on 4222-4224, routes 6222-6224, monitoring 8222-8224, stores .data/nats-1..3", () => {
  const cluster = planCluster(planDev({}), {}, "/repo");
  expect(cluster.natsUrl).toBe("nats://127.0.0.1:4222,nats://127.0.0.1:4223,nats://127.0.0.1:4224");
  expect(cluster.servers.map((s) => [s.name, s.storeDir, s.configPath, s.monitorUrl])).toEqual([
    ["nats-1", "/repo/.data/nats-1", "/repo/.data/nats-1/nats.conf", "http://127.0.0.1:8222"],
    ["nats-2", "/repo/.data/nats-2", "/repo/.data/nats-2/nats.conf", "http://127.0.0.1:8223"],
    ["nats-3", "/repo/.data/nats-3", "/repo/.data/nats-3/nats.conf", "http://127.0.0.1:8224"],
  ]);
  expect(cluster.servers[2]!.config).toContain("nats-route://127.0.0.1:6222");
  expect(cluster.ports.map((p) => p.port).sort()).toEqual([4222, 4223, 4224, 6222, 6223, 6224, 8222, 8223, 8224]);
});

test("every member requires the users of the credentials' auth file, as nats.conf does", () => {
  const cluster = planCluster(planDev({}), {}, "/repo", "/repo/.data/credentials/nats-auth.conf");
  for (const server of cluster.servers) expect(server.config).toContain('include "../credentials/nats-auth.conf"');
});

test("every base port and the store move with their variables", () => {
  const env = { NATS_URL: "nats://127.0.0.1:24222", NATS_MONITOR_PORT: "28222", NATS_CLUSTER_PORT: "26222", NATS_STORE_DIR: "/tmp/x/nats" };
  const cluster = planCluster(planDev(env), env, "/repo");
  expect(cluster.natsUrl).toBe("nats://127.0.0.1:24222,nats://127.0.0.1:24223,nats://127.0.0.1:24224");
  expect(cluster.servers[1]!.config).toContain("listen: 127.0.0.1:26223");
  expect(cluster.servers[1]!.storeDir).toBe("/tmp/x/nats-2");
  expect(() => planCluster(planDev({}), { NATS_CLUSTER_PORT: "65535" }, "/repo")).toThrow("run past 65535");
  expect(() => planCluster(planDev({}), { NATS_CLUSTER_PORT: "x" }, "/repo")).toThrow('NATS_CLUSTER_PORT must be a port number 0-65535, got "x"');
});

test("NATS_REPLICAS defaults to 3 in a cluster and 1 on one server, and a cluster of three takes at most 3", () => {
  expect(devReplicas({}, true)).toBe(3);
  expect(devReplicas({}, false)).toBe(1);
  expect(devReplicas({ NATS_REPLICAS: "1" }, true)).toBe(1);
  expect(() => devReplicas({ NATS_REPLICAS: "5" }, true)).toThrow('NATS_REPLICAS must be at most 3 with --cluster (3 servers), got "5"');
});
