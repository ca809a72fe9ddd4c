// Fold what an install saw into the behaviour lock (pure). Drifted packages keep their recorded state
// until `safe-install lock update`; versions no longer installed hand their behaviour to the version
// that replaced them, so a later version is still compared with everything the package was seen doing.
import type { BehaviourLock, LockEntry, ObservedPackage, SeenBehaviour } from './types.js';
import { entriesOf } from './find-drift.js';
import { sortedUnique } from './observe-behaviour.js';

export interface MergeLockOptions {
  /** Keys to leave as recorded (unaccepted drift). @default none */
  skip?: Set<string>;
  /** `name@version` of every package the project's lockfile installs; absent: nothing is pruned. */
  installed?: Set<string>;
}

// Return a new lock with the observed packages recorded.
export function mergeLock(lock: BehaviourLock, observed: ObservedPackage[], options: MergeLockOptions = {}): BehaviourLock {
  const packages: Record<string, LockEntry> = { ...lock.packages };
  for (const pkg of observed) {
    if (options.skip?.has(pkg.key)) continue;
    const same = packages[pkg.key];
    const entry: LockEntry = { scripts: { ...(same?.scripts ?? {}), ...pkg.scripts }, seen: union(same?.seen, pkg.seen) };
    const integrity = pkg.integrity ?? same?.integrity;
    if (integrity) entry.integrity = integrity;
    // Older versions that are no longer installed: their behaviour carries over to this one.
    if (options.installed) {
      for (const [key, old] of entriesOf({ lockfileVersion: 1, packages }, pkg.name)) {
        if (key === pkg.key || options.installed.has(key)) continue;
        entry.seen = union(entry.seen, old.seen);
        delete packages[key];
      }
    }
    packages[pkg.key] = entry;
  }
  return { lockfileVersion: 1, packages };
}

function union(a: SeenBehaviour | undefined, b: SeenBehaviour): SeenBehaviour {
  return {
    hosts: sortedUnique([...(a?.hosts ?? []), ...b.hosts]),
    writes: sortedUnique([...(a?.writes ?? []), ...b.writes]),
    executables: sortedUnique([...(a?.executables ?? []), ...b.executables]),
  };
}
