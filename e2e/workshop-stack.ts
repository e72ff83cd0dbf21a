/**
 * A workshop on this machine for browser tests, run with Bun (Playwright runs under Node): a hub (as `bun run hub`
 * runs it) and two participants started as people start them, alice plainly and bob with `--shape` (a link shaper
 * on his hub link, its control API on a free port). Prints one line `WORKSHOP {json}` with the addresses once every
 * stack says "hub: connected" and each VEHICLES sources the other; stops everything on SIGTERM or SIGINT.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "@forecourt/shared/platform";
import { freePort, waitFor } from "@forecourt/shared/testing";
import { startParticipantStack, type ParticipantStack } from "../scripts/hub/participant-stack.ts";
import { addParticipant } from "../scripts/hub/roster.ts";
import { startHub } from "../scripts/hub/run-hub.ts";

export interface WorkshopInfo {
  alice: { apiUrl: string; webUrl: string; dealerKey: string };
  bob: { apiUrl: string; webUrl: string; dealerKey: string; linkControlUrl: string };
}

const dataDir = mkdtempSync(join(tmpdir(), "forecourt-e2e-hub-"));
const leafPort = await freePort();
const hub = await startHub({ host: "127.0.0.1", leafPort, port: await freePort(), natsPort: await freePort(), monitorPort: await freePort(), dataDir, publicHost: "127.0.0.1", log: createLogger({ service: "hub", level: "error" }), tickMs: 500 });
const stacks: ParticipantStack[] = [];
let stopping: Promise<void> | undefined;
const stop = () =>
  (stopping ??= (async () => {
    await Promise.all(stacks.map((stack) => stack.stop()));
    await hub.stop();
    rmSync(dataDir, { recursive: true, force: true });
  })());
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => void stop().then(() => process.exit(0)));

try {
  const hubAddress = `127.0.0.1:${leafPort}`;
  const controlPort = await freePort();
  const [alice, bob] = await Promise.all([
    startParticipantStack({ name: "alice", password: addParticipant(dataDir, "alice").entry.password, hubAddress }),
    startParticipantStack({
      name: "bob",
      password: addParticipant(dataDir, "bob").entry.password,
      hubAddress,
      flags: ["--shape"],
      env: { LINK_PORT: String(await freePort()), LINK_CONTROL_PORT: String(controlPort) },
    }),
  ]);
  stacks.push(alice!, bob!);
  // Each VEHICLES sources the other once the sync has seen its hub stream.
  await waitFor(
    async () => {
      const sourced = await Promise.all(stacks.map(async (stack) => {
        const jsz = (await (await fetch(`${stack.monitorUrl}/jsz?accounts=true&streams=true&config=true`)).json()) as { account_details?: { stream_detail?: { name: string; config?: { sources?: unknown[] } }[] }[] };
        return (jsz.account_details?.flatMap((a) => a.stream_detail ?? []).find((s) => s.name === "VEHICLES")?.config?.sources ?? []).length === 1;
      }));
      return sourced.every(Boolean);
    },
    { timeoutMs: 60_000, what: "alice and bob each sourcing the other" },
  );
  const info: WorkshopInfo = {
    alice: { apiUrl: alice!.apiUrl, webUrl: alice!.webUrl, dealerKey: alice!.dealerKey },
    bob: { apiUrl: bob!.apiUrl, webUrl: bob!.webUrl, dealerKey: bob!.dealerKey, linkControlUrl: `http://127.0.0.1:${controlPort}` },
  };
  console.log(`WORKSHOP ${JSON.stringify(info)}`);
} catch (error) {
  console.error(`workshop stack failed: ${(error as Error).message}`);
  await stop();
  process.exit(1);
}
