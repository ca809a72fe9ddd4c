// The one event model every source (strace, proxy, isolate broker, watcher, gates) reports into.

export type EventKind =
  | 'fs.read'
  | 'fs.write'
  | 'fs.delete'
  | 'proc.exec'
  | 'net.connect'
  | 'net.dns'
  | 'env.read'
  | 'tamper';

export type EventDecision = 'allowed' | 'denied' | 'asked-allowed' | 'asked-denied';

export type EventSource = 'strace' | 'proxy' | 'isolate' | 'watcher' | 'sandbox' | 'gate';

export type Tier = 'process' | 'isolate' | 'none';

/** One thing a script did or tried, attributed to the package and script that did it. */
export interface SandboxEvent {
  /** `name@version` of the package whose script acted (from the lockfile, never the tarball's package.json). */
  package: string;
  /** Path of the package relative to the project root, e.g. `node_modules/foo` or `` for the root project. */
  path: string;
  /** Lifecycle event name: preinstall, install, postinstall, prepare, ... */
  script: string;
  kind: EventKind;
  /** Host path, `host:port`, executable path or variable name. */
  target: string;
  decision: EventDecision;
  tier: Tier;
  source: EventSource;
  /** Free text: syscall and errno, HTTP status, stack frame. Untrusted: escape before display. */
  detail?: string;
  /** A refused attempt that is a tool's usual start-up inside the sandbox (npm reading ~/.npmrc, node-gyp's
   *  cache in HOME): reported, never a deviation. Absent: a deviation when denied. */
  expected?: boolean;
  /** Process id inside the sandbox, when known. */
  pid?: number;
  /** Milliseconds since the script started. */
  at?: number;
}
