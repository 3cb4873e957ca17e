/** Registry host names (`host[:port]`): validation, port and loopback checks. */
import { isIP } from 'node:net';

const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?';
const HOST = new RegExp(`^(?:${LABEL}(?:\\.${LABEL})*|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]{1,5})?$`);

/** Reports whether `host` is a well-formed `host[:port]` (DNS name, IPv4, or bracketed IPv6). */
export function isRegistryHost(host: string): boolean {
  if (!HOST.test(host)) return false;
  const { hostname, port } = splitHostPort(host);
  if (hostname.startsWith('[') && isIP(hostname.slice(1, -1)) !== 6) return false;
  return port === '' || Number(port) <= 65535;
}

/** Splits `host[:port]` into the host name (IPv6 keeps its brackets) and the port ('' when absent). */
export function splitHostPort(host: string): { readonly hostname: string; readonly port: string } {
  if (isIP(host) !== 0) return { hostname: host, port: '' };
  const close = host.lastIndexOf(']');
  const colon = host.lastIndexOf(':');
  if (colon > close && colon > 0) return { hostname: host.slice(0, colon), port: host.slice(colon + 1) };
  return { hostname: host, port: '' };
}

/** Reports whether `host` is `localhost` or a loopback address, with or without a port. */
export function isLocalhost(host: string): boolean {
  const name = splitHostPort(host).hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (name === 'localhost') return true;
  if (isIP(name) === 4) return name.startsWith('127.');
  if (isIP(name) === 6) return /^(?:0{0,4}:){2,7}0{0,3}1$|^::1$/.test(name);
  return false;
}
