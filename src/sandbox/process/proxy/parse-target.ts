// Read where a proxy request wants to go: the authority of a CONNECT, or the URL of an absolute-form request.
// Pure. Every host goes through normalizeHost, so odd spellings are rewritten or refused here.
import { normalizeHost, type NormalHost } from './normalize-host.js';

/** A destination the proxy may be asked to reach. */
export interface ProxyTarget extends NormalHost {
  port: number;
  /** For absolute-form requests: path and query to send upstream. */
  path?: string;
}

export type ParsedTarget = { ok: true; target: ProxyTarget } | { ok: false; reason: string };

function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

// Parse `host:port` (IPv6 in brackets) from a CONNECT request line.
export function parseConnectTarget(authority: string): ParsedTarget {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[^\s:[\]]+):([^:]*)$/.exec(authority);
  if (!m) return { ok: false, reason: 'CONNECT needs host:port' };
  const port = parsePort(m[2]);
  if (port === undefined) return { ok: false, reason: 'CONNECT port must be 1-65535' };
  const host = normalizeHost(m[1]);
  if (!host) return { ok: false, reason: 'CONNECT host is not a valid name or address' };
  return { ok: true, target: { ...host, port } };
}

// Parse `http://host[:port]/path` from an absolute-form request line; origin-form (`/path`) is refused.
export function parseAbsoluteTarget(url: string): ParsedTarget {
  if (url.startsWith('/') || url === '*') {
    return { ok: false, reason: 'this is a proxy: send absolute-form requests (GET http://host/path) or CONNECT' };
  }
  if (!/^http:\/\//i.test(url)) {
    return { ok: false, reason: 'only http:// URLs are proxied as requests; use CONNECT for https and other protocols' };
  }
  let parsed: URL;
  try { parsed = new URL(url); } catch { return { ok: false, reason: 'request URL is not valid' }; }
  if (parsed.username || parsed.password) return { ok: false, reason: 'credentials in the URL are not forwarded' };
  const port = parsed.port === '' ? 80 : parsePort(parsed.port);
  const host = normalizeHost(parsed.hostname);
  if (!host || port === undefined) return { ok: false, reason: 'request URL host or port is not valid' };
  return { ok: true, target: { ...host, port, path: `${parsed.pathname}${parsed.search}` } };
}
