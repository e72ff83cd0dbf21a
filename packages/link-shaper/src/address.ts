/** TCP addresses as people type them: `host:port`, `[::1]:port`, or a bare port on 127.0.0.1. */
import { SettingsError } from "./settings.ts";

export interface Address {
  host: string;
  port: number;
}

export const ADDRESS_FORM = "host:port or a port, e.g. 127.0.0.1:7423";

export function parseAddress(text: string, what = "address", defaultHost = "127.0.0.1"): Address {
  const trimmed = text.trim();
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s[\]]*)):(\d+)$/.exec(trimmed) ?? /^()()(\d+)$/.exec(trimmed);
  const port = match ? Number(match[3]) : NaN;
  if (!match || !Number.isInteger(port) || port > 65535) throw new SettingsError(`${what} "${text}" is not ${ADDRESS_FORM}`);
  const host = match[1] || match[2] || defaultHost;
  return { host, port };
}

export function formatAddress({ host, port }: Address): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
