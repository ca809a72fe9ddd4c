// The options, limits, counters and handle of one proxy instance: the documented surface of startProxy.
import type { SandboxEvent } from '../../../events/types.js';
import type { ProxyIdentity } from './blocked-message.js';

/** Limits that keep a hostile client from exhausting or hanging the host. */
export interface ProxyLimits {
  /** Largest request head accepted; larger gets 431. @default 65536 */
  maxHeaderBytes: number;
  /** Time allowed to send a complete request head (slowloris). @default 10000 */
  headersTimeoutMs: number;
  /** Time allowed to connect upstream. @default 10000 */
  connectTimeoutMs: number;
  /** A tunnel or forwarded request with no traffic either way for this long is closed. @default 300000 */
  idleTimeoutMs: number;
  /** Time a held connection waits for `ask`; no answer by then is a no. @default 300000 */
  askTimeoutMs: number;
  /** Concurrent client connections; more are dropped. @default 256 */
  maxConnections: number;
}

export const DEFAULT_PROXY_LIMITS: ProxyLimits = {
  maxHeaderBytes: 64 * 1024,
  headersTimeoutMs: 10_000,
  connectTimeoutMs: 10_000,
  idleTimeoutMs: 300_000,
  askTimeoutMs: 300_000,
  maxConnections: 256,
};

/** Options of one proxy instance, which serves exactly one lifecycle script. */
export interface ProxyOptions {
  /** Where to listen. Its directory must be private (0700) and belong to the caller. */
  socketPath: string;
  /** Grant lines: `host:port`, `*.domain:port`, `host:*`. Empty: every destination is refused or asked. */
  allowNet: readonly string[];
  /** The package and script every connection is attributed to. */
  identity: ProxyIdentity;
  /** Receives one `net.connect` event per attempt. Must not throw. */
  onEvent(event: SandboxEvent): void;
  /** Asked for a destination no grant covers while the connection is held. Absent: deny. */
  ask?: (host: string, port: number) => Promise<boolean>;
  /** Resolve a name on the host. @default all addresses from dns.lookup */
  resolve?: (host: string) => Promise<string[]>;
  /** Override limits (tests use short timeouts). */
  limits?: Partial<ProxyLimits>;
}

/** Counters of one proxy instance. */
export interface ProxyStats {
  attempts: number;
  allowed: number;
  denied: number;
  malformed: number;
  openTunnels: number;
  bytesFromClient: number;
  bytesToClient: number;
}

export interface ProxyHandle {
  socketPath: string;
  /** Stop listening and end every open tunnel and request. */
  close(): Promise<void>;
  stats: ProxyStats;
}

