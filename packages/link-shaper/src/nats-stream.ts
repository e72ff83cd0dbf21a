/**
 * Reads one direction of one connection as the NATS protocol, incrementally (chunks split anywhere), to
 *  - count the operations that carry a payload (client PUB/HPUB, server MSG/HMSG, leaf-node LMSG, route RMSG),
 *    skipping each payload by its declared size, so a payload that happens to contain "MSG …\r\n" is not counted;
 *  - optionally empty the `leafnode_urls` list of the INFO lines a hub sends down a leaf link.
 * Why the second: a nats-server 2.9 leaf adds the URLs it learns from the hub's INFO to its remote's list and, after a
 * drop, reconnects to the learned address first, straight to the hub, leaving the shaper behind. An empty list (not a
 * missing one: the leaf takes that as a wrong port) keeps it on the configured URL, which is the shaper. Newer servers
 * offer `ignore_discovered_servers` on the remote for the same purpose. Nothing else is ever changed.
 * Protocol: https://docs.nats.io/reference/reference-protocols/nats-protocol (the last argument of a payload
 * operation is the total payload size, headers included, followed by the payload and CRLF).
 */
const PAYLOAD_OPS = new Set(["PUB", "HPUB", "MSG", "HMSG", "LMSG", "RMSG"]);
const OTHER_OPS = new Set(["INFO", "CONNECT", "PING", "PONG", "+OK", "-ERR", "SUB", "UNSUB", "LS+", "LS-", "RS+", "RS-", "A+", "A-"]);
/** A payload operation's line is short (nats-server's max_control_line is 4 KiB by default); INFO and CONNECT may be long. */
const KEPT_LINE_BYTES = 16 * 1024;
/** A "line" longer than this is not NATS (e.g. a TLS stream after the INFO): stop reading. */
const MAX_LINE_BYTES = 1024 * 1024;
const LF = 0x0a;
const INFO_PREFIX = "INFO ";

export interface NatsStreamOptions {
  /** Empty the `leafnode_urls` of INFO lines (the direction from a hub's leaf port to a leaf). */
  emptyLeafnodeUrls?: boolean;
}

export class NatsStreamReader {
  messages = 0;
  /** False once the stream stopped looking like the NATS protocol (TLS, another protocol): reading stops there. */
  readable = true;
  private payloadLeft = 0;
  private readonly line = new Uint8Array(KEPT_LINE_BYTES);
  private lineKept = 0;
  private lineTotal = 0;
  /** Bytes of a line that is or may be INFO, kept back until the line is complete (only when rewriting). */
  private held: Uint8Array[] = [];
  private readonly decoder = new TextDecoder();
  private readonly rewrite: boolean;

  constructor(options: NatsStreamOptions = {}) {
    this.rewrite = options.emptyLeafnodeUrls ?? false;
  }

  /** Reads a chunk and returns what to pass on: the chunk itself, except around an INFO line being rewritten. */
  push(chunk: Uint8Array): Uint8Array[] {
    if (!this.readable && this.held.length === 0) return [chunk];
    const out: Uint8Array[] = [];
    let runStart = 0;
    let i = 0;
    while (i < chunk.length && this.readable) {
      if (this.payloadLeft > 0) {
        const skipped = Math.min(this.payloadLeft, chunk.length - i);
        this.payloadLeft -= skipped;
        i += skipped;
        continue;
      }
      const lf = chunk.indexOf(LF, i);
      const end = lf === -1 ? chunk.length : lf + 1;
      const part = chunk.subarray(i, end);
      this.keep(lf === -1 ? part : part.subarray(0, part.length - 1));
      if (this.rewrite && this.readable && this.mayBeInfo()) {
        if (this.held.length === 0 && i > runStart) out.push(chunk.subarray(runStart, i));
        this.held.push(part);
        runStart = end;
      } else if (this.held.length > 0) {
        // What was held belongs to this line, which turned out not to be INFO: it goes first, then the run from here.
        out.push(...this.held);
        this.held = [];
        runStart = i;
      }
      if (lf !== -1) {
        const wasHeld = this.held.length > 0;
        const info = this.endLine();
        if (wasHeld) out.push(info !== undefined ? emptyLeafnodeUrls(info) : concat(this.held));
        this.held = [];
      }
      i = end;
    }
    if (!this.readable && this.held.length > 0) {
      out.push(...this.held);
      this.held = [];
    }
    if (runStart < chunk.length) out.push(chunk.subarray(runStart));
    return out;
  }

  /** At the end of the stream: whatever was held back, unchanged. */
  flush(): Uint8Array[] {
    const held = this.held;
    this.held = [];
    return held;
  }

  private mayBeInfo(): boolean {
    const start = this.decoder.decode(this.line.subarray(0, Math.min(this.lineKept, INFO_PREFIX.length))).toUpperCase();
    return this.lineKept < INFO_PREFIX.length ? INFO_PREFIX.startsWith(start) : start === INFO_PREFIX;
  }

  private keep(part: Uint8Array): void {
    const room = KEPT_LINE_BYTES - this.lineKept;
    if (room > 0) {
      const kept = part.subarray(0, room);
      this.line.set(kept, this.lineKept);
      this.lineKept += kept.length;
    }
    this.lineTotal += part.length;
    if (this.lineTotal > MAX_LINE_BYTES) this.readable = false;
  }

  /** Reads the line just completed; returns its text when it is a complete INFO line. */
  private endLine(): string | undefined {
    const complete = this.lineKept === this.lineTotal;
    const text = this.decoder.decode(this.line.subarray(0, this.lineKept));
    this.lineKept = 0;
    this.lineTotal = 0;
    const args = text.trim().split(/[ \t]+/);
    if (args[0] === "") return undefined;
    const op = args[0]!.toUpperCase();
    if (OTHER_OPS.has(op)) return op === "INFO" && complete ? text : undefined;
    const size = args.length >= 2 ? args[args.length - 1]! : "";
    if (!PAYLOAD_OPS.has(op) || !complete || !/^\d+$/.test(size)) {
      this.readable = false;
      return undefined;
    }
    this.messages += 1;
    this.payloadLeft = Number(size) + 2;
    return undefined;
  }
}

function emptyLeafnodeUrls(infoLine: string): Uint8Array {
  return new TextEncoder().encode(`${infoLine.replace(/("leafnode_urls"\s*:\s*)\[[^\]]*\]/, "$1[]")}\n`);
}

function concat(chunks: Uint8Array[]): Uint8Array {
  return Buffer.concat(chunks);
}
