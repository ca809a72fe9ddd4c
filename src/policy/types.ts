// What one lifecycle script may do, resolved to absolute host paths for one package and script.
// The policy room produces it; the sandbox tiers, the proxy and the broker enforce it.

export interface Grant {
  /** Absolute host paths (files or directories) the script may read in addition to the base system.
   *  Secret locations (HOME, the npm cache, other users' files) are hidden unless listed here. */
  read: string[];
  /** Absolute host paths the script may write. The package's own directory and a private /tmp are always included by the caller. */
  write: string[];
  /** Network destinations as `host:port`, `*.domain:port`, or `host:*`. Empty: no network at all. */
  net: string[];
  /** Executable names or absolute paths the script may start. Empty list with `execAny` true: anything. */
  exec: string[];
  /** When true, exec is not restricted (the default profile: a build may start any system tool). */
  execAny: boolean;
  /** Names of host environment variables passed through in addition to the built-in allowlist. */
  env: string[];
  /** Wall-clock limit for the whole script, in milliseconds. */
  timeoutMs: number;
}

/** Whether a package's scripts run at all. */
export type RunDecision = 'allow' | 'deny' | 'ask';

/** The default wall-clock limit of one lifecycle script. */
export const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;

// Build the default profile's grant: nothing beyond the package's own directory and /tmp.
export function emptyGrant(): Grant {
  return { read: [], write: [], net: [], exec: [], execAny: true, env: [], timeoutMs: DEFAULT_TIMEOUT_MS };
}
