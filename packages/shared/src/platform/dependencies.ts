/** Probes for the JetStream resources apps depend on: a stream, a key-value bucket (its stream). Durable consumers: durable-pull.ts. */
import type { JetStreamManager } from "@nats-io/jetstream";
import { isStreamNotFound } from "./nats-errors.ts";
import type { Dependency } from "./readiness.ts";

export interface DependencyOptions {
  /** Puts it back (the app owns it and knows its configuration). */
  repair?: () => Promise<void>;
  /** Added to the reason when it is missing: what an operator can do. */
  hint?: string;
}

const withHint = (reason: string, hint?: string) => (hint ? `${reason}; ${hint}` : reason);

export function streamDependency(jsm: JetStreamManager, stream: string, options: DependencyOptions = {}): Dependency {
  return {
    name: `stream ${stream}`,
    async probe() {
      try {
        await jsm.streams.info(stream);
        return undefined;
      } catch (error) {
        if (isStreamNotFound(error)) return withHint(`stream ${stream} is missing`, options.hint);
        throw error;
      }
    },
    repair: options.repair,
  };
}

/** A key-value bucket is the stream KV_<bucket>. */
export function bucketDependency(jsm: JetStreamManager, bucket: string, options: DependencyOptions = {}): Dependency {
  const stream = streamDependency(jsm, `KV_${bucket}`, options);
  return {
    name: `bucket ${bucket}`,
    async probe() {
      const reason = await stream.probe();
      return reason === undefined ? undefined : withHint(`KV bucket ${bucket} is missing (no stream KV_${bucket})`, options.hint);
    },
    repair: options.repair,
  };
}
