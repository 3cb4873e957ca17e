/** Facts about a `host:port` TCP listen address. */
import { isIP } from 'node:net';

/** The host part of `host:port` or `[v6]:port`, without brackets. */
export const tcpHost = (address: string): string => {
  const host = address.slice(0, address.lastIndexOf(':'));
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
};

/** Reports whether `address` only accepts connections from this machine (127.0.0.0/8, ::1, IPv4-mapped 127/8, localhost). */
export function isLoopbackAddress(address: string): boolean {
  const host = tcpHost(address).toLowerCase();
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) !== 6) return false;
  // The URL parser writes every IPv6 spelling in one canonical form (`::ffff:127.0.0.1` → `::ffff:7f00:1`).
  const canonical = new URL(`http://[${host}]/`).hostname;
  return canonical === '[::1]' || canonical.startsWith('[::ffff:7f');
}
