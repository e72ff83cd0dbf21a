import { expect, test } from "bun:test";
import { clusterMembers, clusterUrls, renderClusterMemberConfig, type ClusterLayout } from "./nats-cluster-config.ts";

const layout: ClusterLayout = {
  name: "forecourt",
  members: clusterMembers(3, { host: "127.0.0.1", clientPort: 4222, clusterPort: 6222, monitorPort: 8222, storeDir: (name) => `/srv/.data/${name}` }),
};

test("member i takes each base port plus i, a store of its own and the name nats-<i+1>", () => {
  expect(layout.members.map((m) => [m.name, m.clientPort, m.clusterPort, m.monitorPort, m.storeDir])).toEqual([
    ["nats-1", 4222, 6222, 8222, "/srv/.data/nats-1"],
    ["nats-2", 4223, 6223, 8223, "/srv/.data/nats-2"],
    ["nats-3", 4224, 6224, 8224, "/srv/.data/nats-3"],
  ]);
  expect(clusterUrls(layout)).toBe("nats://127.0.0.1:4222,nats://127.0.0.1:4223,nats://127.0.0.1:4224");
});

test("a member's configuration names it, listens on its ports, routes to every other member and keeps its own store", () => {
  const config = renderClusterMemberConfig(layout, "nats-2", "/srv/.data/nats-2/nats.conf");
  expect(config).toContain("server_name: nats-2\n");
  expect(config).toContain("listen: 127.0.0.1:4223\n");
  expect(config).toContain("http: 127.0.0.1:8223\n");
  expect(config).toMatch(/cluster \{\n {2}name: forecourt\n {2}listen: 127.0.0.1:6223\n {2}routes: \[\n {4}nats-route:\/\/127.0.0.1:6222\n {4}nats-route:\/\/127.0.0.1:6224\n {2}\]\n\}/);
  expect(config).toContain('store_dir: "/srv/.data/nats-2"');
  expect(config).not.toContain("6223\n    nats-route");
});

test("every member requires the users of the auth file, included relative to its own configuration, or inlined", () => {
  expect(renderClusterMemberConfig(layout, "nats-1", "/srv/.data/nats-1/nats.conf")).not.toContain("accounts");
  const included = renderClusterMemberConfig({ ...layout, auth: { include: "/srv/.data/credentials/nats-auth.conf" } }, "nats-1", "/srv/.data/nats-1/nats.conf");
  expect(included).toContain('include "../credentials/nats-auth.conf"\n');
  const inlined = renderClusterMemberConfig({ ...layout, auth: { inline: "accounts { FORECOURT { users: [] } }" } }, "nats-1", "/tmp/nats-1.conf");
  expect(inlined).toContain("accounts { FORECOURT { users: [] } }");
  expect(inlined).not.toContain("no_auth_user");
});

test("an unknown member is refused", () => {
  expect(() => renderClusterMemberConfig(layout, "nats-9", "/tmp/x.conf")).toThrow("no member nats-9 in cluster forecourt");
});
