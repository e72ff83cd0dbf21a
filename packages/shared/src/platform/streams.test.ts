import { expect, test } from "bun:test";
import { JetStreamApiError, type JetStreamManager } from "@nats-io/jetstream";
import { errors } from "@nats-io/transport-node";
import { createPatiently } from "./streams.ts";

const notFound = () => new JetStreamApiError({ code: 404, err_code: 10059, description: "stream not found" });

/** A manager whose stream lookup answers from a flag the test flips. */
function manager(exists: () => boolean): Pick<JetStreamManager, "streams"> {
  return { streams: { info: async () => { if (exists()) return { config: {} }; throw notFound(); } } } as unknown as Pick<JetStreamManager, "streams">;
}

test("a creation that timed out is sent again, and done once it answers", async () => {
  let sent = 0;
  await createPatiently(manager(() => false), "KV_vehicles", async () => {
    sent += 1;
    if (sent === 1) throw new errors.TimeoutError();
  });
  expect(sent).toBe(2);
});

test("a creation that timed out but happened all the same is not sent again", async () => {
  let created = false;
  let sent = 0;
  await createPatiently(manager(() => created), "VEHICLES", async () => {
    sent += 1;
    created = true;
    throw new errors.TimeoutError();
  });
  expect(sent).toBe(1);
});

test("a refusal is not retried, and timeouts give up after the attempts allowed", async () => {
  let sent = 0;
  const refused = new JetStreamApiError({ code: 400, err_code: 10074, description: "replicas > 1 not supported in non-clustered mode" });
  await expect(createPatiently(manager(() => false), "VEHICLES", async () => { sent += 1; throw refused; })).rejects.toBe(refused);
  expect(sent).toBe(1);
  sent = 0;
  await expect(createPatiently(manager(() => false), "VEHICLES", async () => { sent += 1; throw new errors.TimeoutError(); }, 3)).rejects.toBeInstanceOf(errors.TimeoutError);
  expect(sent).toBe(3);
});
