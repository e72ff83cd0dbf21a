import { expect, test } from "bun:test";
import type { NetworkInterfaceInfo } from "node:os";
import { ConfigError } from "@forecourt/shared/platform";
import { joinInstructions, loadHubSettings, publicHostFor } from "./settings.ts";

const nic = (address: string, internal: boolean) => ({ address, internal, family: "IPv4" }) as NetworkInterfaceInfo;
const interfaces = { lo: [nic("127.0.0.1", true)], eth0: [nic("192.168.1.20", false)] };

test("defaults: leaf port 7422 and status page 3010 on HOST, admin ports on loopback, roster in .data/hub", () => {
  expect(loadHubSettings({}, interfaces)).toEqual({ host: "127.0.0.1", leafPort: 7422, port: 3010, natsPort: 7421, monitorPort: 7420, dataDir: ".data/hub", publicHost: "127.0.0.1" });
});

test("a hub listening on every interface is reached at the machine's external address, unless HUB_PUBLIC_HOST says otherwise", () => {
  expect(publicHostFor("0.0.0.0", interfaces)).toBe("192.168.1.20");
  expect(publicHostFor("0.0.0.0", { lo: [nic("127.0.0.1", true)] })).toBe("127.0.0.1");
  expect(loadHubSettings({ HOST: "0.0.0.0", HUB_PUBLIC_HOST: "hub.workshop.example" }, interfaces).publicHost).toBe("hub.workshop.example");
});

test("a bad port is one line naming the variable", () => {
  expect(() => loadHubSettings({ HUB_LEAF_PORT: "leaf" }, interfaces)).toThrow(ConfigError);
  expect(() => loadHubSettings({ HUB_LEAF_PORT: "leaf" }, interfaces)).toThrow('HUB_LEAF_PORT must be a port number 0-65535, got "leaf"');
});

test("the join command carries the participant's name and password; the other form keeps the password in a file", () => {
  const [join, withFile] = joinInstructions({ publicHost: "192.168.1.20", leafPort: 7422 }, "alice", "pw", ".data/hub/participants/alice.credentials");
  expect(join).toBe("bun run dev --join nats-leaf://alice:pw@192.168.1.20:7422 --as alice");
  expect(withFile).toContain("FORECOURT_HUB=nats-leaf://192.168.1.20:7422 FORECOURT_PARTICIPANT=alice FORECOURT_HUB_CREDENTIALS=");
  expect(joinInstructions({ publicHost: "fe80::1", leafPort: 7422 }, "bob", "pw", "f")[0]).toContain("@[fe80::1]:7422");
});
