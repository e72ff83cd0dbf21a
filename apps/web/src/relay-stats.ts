/** Counters `nats micro stats forecourt-web` shows: how many sockets, how much relayed, how many dropped as too slow. */
export interface RelayStats {
  socketsOpen: number;
  socketsOpened: number;
  messagesRelayed: number;
  socketsDropped: number;
  invalidClientMessages: number;
  invalidEvents: number;
}

export function createRelayStats(): RelayStats {
  return { socketsOpen: 0, socketsOpened: 0, messagesRelayed: 0, socketsDropped: 0, invalidClientMessages: 0, invalidEvents: 0 };
}
