// The behaviour lock (`safe-install.lock.json`): per package@version, the hash of each lifecycle
// script body and a summary of what its scripts were seen doing. Committed beside package-lock.json.

/** What a package's scripts were seen doing (attempts included, whether allowed or denied). Sorted, unique. */
export interface SeenBehaviour {
  /** Hosts as `host:port` (proxy and traced connections, name lookups). */
  hosts: string[];
  /** Places written outside the package's own directory and the private /tmp, as `$PROJECT/x/y`, `$HOME/.cache/z`, `/etc/x`. */
  writes: string[];
  /** File names of the programs started (`node`, `curl`, `g++`), so the lock reads the same on every machine. */
  executables: string[];
}

/** One package version in the lock. */
export interface LockEntry {
  /** The lockfile integrity of the tarball the scripts came from, when known. */
  integrity?: string;
  /** Lifecycle event -> `sha256-<hex>` of the script body as npm runs it. */
  scripts: Record<string, string>;
  /** What this version (and the versions it replaced in the lock) was seen doing. */
  seen: SeenBehaviour;
}

export interface BehaviourLock {
  lockfileVersion: 1;
  /** Keyed `name@version`. */
  packages: Record<string, LockEntry>;
}

/** What this install saw of one package, before it is compared with the lock. */
export interface ObservedPackage extends LockEntry {
  key: string;
  name: string;
  version: string;
  /** Where it is installed (`node_modules/foo`), for report locations. */
  path: string;
}

export const LOCK_FILE_NAME = 'safe-install.lock.json';

// Build an empty lock.
export function emptyLock(): BehaviourLock {
  return { lockfileVersion: 1, packages: {} };
}
