// Decide which grant line, if any, covers a destination. Pure: no DNS, no sockets.
import { normalizeHost } from './normalize-host.js';

/** One parsed grant line: `host:port`, `*.domain:port`, `host:*` (and `*.domain:*`). */
export interface NetPattern {
  /** The line as written in the policy, reported back in events and messages. */
  source: string;
  /** Canonical host (see normalizeHost); for a wildcard, the domain after `*.`. */
  host: string;
  wildcard: boolean;
  /** undefined means any port (`host:*`). */
  port?: number;
}

/** The grant line that covers a destination, and whether it names the host itself (not a wildcard). */
export interface NetGrantMatch {
  pattern: string;
  /** True when the line names this exact host or IP: only such lines open private and loopback addresses. */
  explicit: boolean;
}

// Parse one grant line; undefined when it is not one of the accepted forms.
export function parseNetPattern(line: string): NetPattern | undefined {
  const m = /^(\*\.)?(\[[0-9A-Fa-f:.]+\]|[^:\s]+):(\*|\d{1,5})$/.exec(line.trim());
  if (!m) return undefined;
  const [, star, rawHost, rawPort] = m;
  const port = rawPort === '*' ? undefined : Number(rawPort);
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  const norm = normalizeHost(rawHost);
  if (!norm) return undefined;
  // `*.` applies to names only, and never to a single label (`*.com` would open a whole TLD).
  if (star && (norm.ip !== 0 || !norm.host.includes('.'))) return undefined;
  return { source: line, host: norm.host, wildcard: Boolean(star), port };
}

// Check one parsed pattern against a canonical host and port.
export function patternCovers(pattern: NetPattern, host: string, port: number): boolean {
  if (pattern.port !== undefined && pattern.port !== port) return false;
  if (!pattern.wildcard) return pattern.host === host;
  // Subdomains only: `*.example.com` covers `a.example.com` and `a.b.example.com`, not `example.com`.
  return host.endsWith(`.${pattern.host}`);
}

// Find the grant line covering host:port, preferring one that names the host explicitly.
export function matchNetGrant(lines: readonly string[], host: string, port: number): NetGrantMatch | undefined {
  const norm = normalizeHost(host);
  if (!norm) return undefined;
  let found: NetGrantMatch | undefined;
  for (const line of lines) {
    const pattern = parseNetPattern(line);
    if (!pattern || !patternCovers(pattern, norm.host, port)) continue;
    if (!pattern.wildcard) return { pattern: line, explicit: true };
    found ??= { pattern: line, explicit: false };
  }
  return found;
}
