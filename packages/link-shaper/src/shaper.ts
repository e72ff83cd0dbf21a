/**
 * A TCP proxy that shapes what passes through it: `listen` accepts, each connection is joined to a new connection
 * to `to`, and each direction goes through a Lane (bandwidth, latency, jitter). Settings change at runtime without
 * touching open connections. The shaper itself never reorders, duplicates or drops a byte of a live connection; only
 * `cut` ends connections (and refuses new ones until the outage is lifted). The one thing it changes is the list of
 * leaf-node URLs in a hub's INFO, emptied so that a leaf reconnects through the shaper (see nats-stream.ts).
 */
import { connect, createServer, type Server, type Socket } from "node:net";
import type { Logger } from "@forecourt/shared/platform";
import { formatAddress, parseAddress, type Address } from "./address.ts";
import { startControlServer, type ControlServer } from "./control.ts";
import { Lane } from "./lane.ts";
import { NatsStreamReader } from "./nats-stream.ts";
import { applyChange, checkChange, DIRECTIONS, UNSHAPED, type Direction, type LinkSettings, type SettingsChange } from "./settings.ts";

export interface LinkShaperOptions {
  /** Where the shaper accepts connections (port 0: any free port, see `listen` on the result). */
  listen: string | Address;
  /** Where each accepted connection is forwarded. */
  to: string | Address;
  /** Where the HTTP control API listens; none when left out. */
  control?: string | Address;
  /** Origins besides loopback ones that the control API allows (CORS), e.g. the live page's LAN address. */
  corsOrigins?: string[];
  /** Settings to start with (default: unshaped). */
  settings?: SettingsChange;
  /** Bytes queued in one direction of a connection before the shaper stops reading its source (TCP back-pressure). */
  queueLimitBytes?: number;
  log?: Logger;
}

export interface DirectionCounters {
  /** Bytes delivered. */
  bytes: number;
  /** NATS protocol operations with a payload delivered (PUB, HPUB, MSG, HMSG, LMSG, RMSG). */
  messages: number;
  /** Bytes taken in and not yet delivered, on all open connections. */
  queuedBytes: number;
  /** Connections whose stream stopped reading as NATS (e.g. TLS), so their messages are not counted. */
  uncountedConnections: number;
}

export interface LinkStatus {
  listen: string;
  to: string;
  control: string | null;
  settings: LinkSettings;
  connections: { open: number; accepted: number; refused: number };
  up: DirectionCounters;
  down: DirectionCounters;
}

export interface LinkShaper {
  readonly listen: Address;
  readonly to: Address;
  readonly control: Address | null;
  readonly settings: LinkSettings;
  /** Applies a change (throws SettingsError for a bad value) and returns the settings now in force. */
  set(change: SettingsChange): LinkSettings;
  status(): LinkStatus;
  stop(): Promise<void>;
}

const DEFAULT_QUEUE_LIMIT = 1024 * 1024;

interface Totals {
  bytes: number;
  messages: number;
}

export async function startLinkShaper(options: LinkShaperOptions): Promise<LinkShaper> {
  const listenAt = typeof options.listen === "string" ? parseAddress(options.listen, "listen") : options.listen;
  const to = typeof options.to === "string" ? parseAddress(options.to, "to") : options.to;
  const controlAt = typeof options.control === "string" ? parseAddress(options.control, "control") : options.control;
  const queueLimit = options.queueLimitBytes ?? DEFAULT_QUEUE_LIMIT;
  const log = options.log;
  const initial = options.settings ?? {};
  checkChange(initial);
  let settings = applyChange(UNSHAPED, initial);
  const connections = new Set<Connection>();
  const totals: Record<Direction, Totals> = { up: { bytes: 0, messages: 0 }, down: { bytes: 0, messages: 0 } };
  let accepted = 0;
  let refused = 0;

  const server: Server = createServer({ allowHalfOpen: true }, (client) => {
    if (settings.outage === "cut") {
      refused += 1;
      client.on("error", () => {});
      client.destroy();
      return;
    }
    accepted += 1;
    const connection = new Connection(client, to, {
      settings: (direction) => settings[direction],
      held: () => settings.outage === "hold",
      totals,
      queueLimit,
      closed: (reason) => {
        connections.delete(connection);
        log?.info("connection closed", { from: connection.from, reason, up: connection.delivered.up, down: connection.delivered.down });
      },
    });
    connections.add(connection);
    log?.info("connection opened", { from: connection.from });
  });
  await listen(server, listenAt);
  const bound = server.address();
  const listenAddress: Address = typeof bound === "object" && bound ? { host: listenAt.host, port: bound.port } : listenAt;

  let control: ControlServer | undefined;
  const shaper: LinkShaper = {
    listen: listenAddress,
    to,
    get control() {
      return control?.address ?? null;
    },
    get settings() {
      return structuredClone(settings);
    },
    set(change) {
      checkChange(change);
      const before = settings;
      settings = applyChange(settings, change);
      if (settings.outage === "cut" && before.outage !== "cut") {
        for (const connection of connections) connection.destroy("cut");
      }
      for (const connection of connections) connection.pump();
      log?.info("settings changed", { settings });
      return structuredClone(settings);
    },
    status() {
      const counters = (direction: Direction): DirectionCounters => {
        let queuedBytes = 0;
        let messages = totals[direction].messages;
        let uncounted = 0;
        for (const connection of connections) {
          queuedBytes += connection.queuedBytes(direction);
          messages += connection.counters[direction].messages;
          if (!connection.counters[direction].readable) uncounted += 1;
        }
        return { bytes: totals[direction].bytes, messages, queuedBytes, uncountedConnections: uncounted };
      };
      return {
        listen: formatAddress(listenAddress),
        to: formatAddress(to),
        control: control ? formatAddress(control.address) : null,
        settings: structuredClone(settings),
        connections: { open: connections.size, accepted, refused },
        up: counters("up"),
        down: counters("down"),
      };
    },
    async stop() {
      await control?.stop();
      for (const connection of connections) connection.destroy("stopped");
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  if (controlAt) {
    try {
      control = await startControlServer(shaper, controlAt, { corsOrigins: options.corsOrigins });
    } catch (error) {
      await shaper.stop();
      throw error;
    }
  }
  log?.info("ready", { listen: formatAddress(listenAddress), to: formatAddress(to), control: control ? formatAddress(control.address) : null, settings });
  return shaper;
}

function listen(server: Server, at: Address): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(new Error(`cannot listen on ${formatAddress(at)}: ${error.message}`));
    server.once("error", onError);
    server.listen({ host: at.host, port: at.port }, () => {
      server.off("error", onError);
      resolve();
    });
  });
}

interface ConnectionContext {
  settings(direction: Direction): LinkSettings[Direction];
  held(): boolean;
  totals: Record<Direction, Totals>;
  queueLimit: number;
  closed(reason: string): void;
}

/** One accepted client joined to its own connection to the target; up = client → target, down = target → client. */
class Connection {
  readonly from: string;
  /** Count what was delivered. */
  readonly counters: Record<Direction, NatsStreamReader> = { up: new NatsStreamReader(), down: new NatsStreamReader() };
  /** Keeps a leaf on this link: the hub's INFO must not tell it where to reconnect without the shaper (see nats-stream.ts). */
  private readonly hubInfo = new NatsStreamReader({ emptyLeafnodeUrls: true });
  readonly delivered: Record<Direction, number> = { up: 0, down: 0 };
  private readonly target: Socket;
  private readonly lanes: Record<Direction, Lane>;
  private readonly sourceEnded: Record<Direction, boolean> = { up: false, down: false };
  private readonly finished: Record<Direction, boolean> = { up: false, down: false };
  private readonly paused: Record<Direction, boolean> = { up: false, down: false };
  private readonly socketClosed = new Set<Socket>();
  private done = false;

  constructor(
    private readonly client: Socket,
    to: Address,
    private readonly context: ConnectionContext,
  ) {
    this.from = `${client.remoteAddress}:${client.remotePort}`;
    this.target = connect({ host: to.host, port: to.port, allowHalfOpen: true });
    this.lanes = {
      up: this.lane("up"),
      down: this.lane("down"),
    };
    for (const socket of [client, this.target]) socket.setNoDelay(true);
    this.wire("up");
    this.wire("down");
  }

  queuedBytes(direction: Direction): number {
    return this.lanes[direction].queuedBytes + (this.destDone(direction) ? 0 : this.dest(direction).writableLength);
  }

  pump(): void {
    for (const direction of DIRECTIONS) this.lanes[direction].pump();
  }

  destroy(reason: string): void {
    if (this.done) return;
    this.done = true;
    for (const direction of DIRECTIONS) {
      this.lanes[direction].close();
      this.context.totals[direction].messages += this.counters[direction].messages;
    }
    this.client.destroy();
    this.target.destroy();
    this.context.closed(reason);
  }

  private source(direction: Direction): Socket {
    return direction === "up" ? this.client : this.target;
  }

  private dest(direction: Direction): Socket {
    return direction === "up" ? this.target : this.client;
  }

  private destDone(direction: Direction): boolean {
    return this.socketClosed.has(this.dest(direction));
  }

  private lane(direction: Direction): Lane {
    return new Lane({
      settings: () => this.context.settings(direction),
      held: () => this.context.held(),
      deliver: (chunk) => {
        this.dest(direction).write(chunk);
        this.delivered[direction] += chunk.length;
        this.context.totals[direction].bytes += chunk.length;
        this.counters[direction].push(chunk);
      },
      delivered: () => this.afterDelivery(direction),
    });
  }

  private wire(direction: Direction): void {
    const source = this.source(direction);
    const dest = this.dest(direction);
    source.on("data", (chunk: Buffer) => {
      if (direction === "up") this.lanes.up.push(chunk);
      else for (const piece of this.hubInfo.push(chunk)) this.lanes.down.push(piece);
      if (!this.paused[direction] && this.queuedBytes(direction) > this.context.queueLimit) {
        this.paused[direction] = true;
        source.pause();
      }
    });
    source.on("end", () => {
      if (direction === "down") for (const piece of this.hubInfo.flush()) this.lanes.down.push(piece);
      this.sourceEnded[direction] = true;
      this.afterDelivery(direction);
    });
    dest.on("drain", () => this.afterDelivery(direction));
    source.on("error", (error) => this.destroy(`${direction === "up" ? "client" : "target"}: ${error.message}`));
    source.on("close", () => {
      this.socketClosed.add(source);
      // A socket closed while bytes for it are still queued cannot take them: end the whole connection.
      const into = direction === "up" ? "down" : "up";
      if (!this.finished[into] && !this.done) this.destroy(`${direction === "up" ? "client" : "target"} closed`);
      else if (this.socketClosed.size === 2) this.destroy("closed");
    });
  }

  /** After bytes left a lane: resume a paused source, and pass a half-close on once everything before it is out. */
  private afterDelivery(direction: Direction): void {
    if (this.done) return;
    if (this.paused[direction] && this.queuedBytes(direction) <= this.context.queueLimit / 4) {
      this.paused[direction] = false;
      this.source(direction).resume();
    }
    if (this.sourceEnded[direction] && !this.finished[direction] && this.lanes[direction].queuedBytes === 0) {
      this.finished[direction] = true;
      this.dest(direction).end();
    }
  }
}
