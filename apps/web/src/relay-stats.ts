/** Counters `nats micro stats forecourt-web` shows: how many sockets, how much relayed, how many dropped as too slow or refused. */
export interface RelayStats {
  socketsOpen: number;
  socketsOpened: number;
  messagesRelayed: number;
  socketsDropped: number;
  /** Handshakes from an origin not allowed (403) and sockets over a cap (closed with 4029 or 1013). */
  socketsRefused: number;
  invalidClientMessages: number;
  invalidEvents: number;
}

export function createRelayStats(): RelayStats {
  return { socketsOpen: 0, socketsOpened: 0, messagesRelayed: 0, socketsDropped: 0, socketsRefused: 0, invalidClientMessages: 0, invalidEvents: 0 };
}
