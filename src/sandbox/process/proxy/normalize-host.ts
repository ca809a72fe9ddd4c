// Turn a host as written in a request or a grant into one comparable form.
// WHATWG URL parsing lowercases names, turns IDNs into punycode and rewrites the odd IPv4 spellings
// (`127.1`, `0x7f000001`, `017700000001`) into dotted quads, so a grant and a request that name the
// same address compare equal, and a script cannot dodge the address check with a spelling getaddrinfo accepts.
import { isIP } from 'node:net';

const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

/** A host in canonical form: lowercase name without trailing dot, dotted IPv4, or bare IPv6 (no brackets). */
export interface NormalHost {
  host: string;
  /** 4 or 6 when the host is an IP literal, 0 for a name. */
  ip: 0 | 4 | 6;
}

// Normalize a host (IPv6 may come with or without brackets); undefined when it is not a valid host.
export function normalizeHost(raw: string): NormalHost | undefined {
  if (raw.length === 0 || raw.length > 255) return undefined;
  let text = raw;
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  if (isIP(text) === 6) {
    let url: URL;
    try { url = new URL(`http://[${text}]/`); } catch { return undefined; }
    return { host: url.hostname.slice(1, -1), ip: 6 };
  }
  // Authority delimiters, spaces and control characters never belong in a host.
  if (/[\x00-\x20\x7f@/?#:\\[\]%]/.test(text)) return undefined;
  let url: URL;
  try { url = new URL(`http://${text}/`); } catch { return undefined; }
  let host = url.hostname;
  if (url.username || url.password || url.port || url.pathname !== '/' || url.search || url.hash) return undefined;
  if (host.startsWith('[')) return undefined;
  if (isIP(host) === 4) return { host, ip: 4 };
  if (host.endsWith('.')) host = host.slice(0, -1);
  const labels = host.split('.');
  if (host.length === 0 || host.length > 253 || !labels.every((l) => LABEL.test(l))) return undefined;
  // A name whose last label is numeric is an IPv4 spelling URL did not accept: refuse it rather than let DNS guess.
  if (/^(?:0x[0-9a-f]*|\d+)$/.test(labels[labels.length - 1])) return undefined;
  return { host, ip: 0 };
}

// Write host and port as `host:port`, with IPv6 in brackets.
export function formatHostPort(host: string, port: number | '*'): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}
