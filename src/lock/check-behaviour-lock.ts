// The install's use of the behaviour lock: read `safe-install.lock.json` before anything runs (a broken
// lock stops the run like a broken policy), compare what ran with it (drift findings), then, once the
// run is over, record what is new. Under --ci the lock is only read.
import { join } from 'node:path';
import type { SandboxEvent } from '../events/types.js';
import type { Finding, InstallReport, ScriptRecord } from '../report/types.js';
import { readLockfile } from '../install/read-lockfile.js';
import { packageNameFromPath } from '../install/resolve-identity.js';
import { isPackageKey, keyMatches, parsePackageKey, type PackageKey } from '../policy/package-key.js';
import { observeBehaviour } from './observe-behaviour.js';
import { findDrift } from './find-drift.js';
import { mergeLock } from './merge-lock.js';
import { readLock } from './read-lock.js';
import { writeLock } from './write-lock.js';
import { emptyLock, LOCK_FILE_NAME, type ObservedPackage } from './types.js';

export interface OpenBehaviourLockInput {
  projectDir: string;
  /** Package keys whose drift the policy accepts (`acceptDrift`). */
  acceptDrift?: string[];
  /** --ci: the lock is read, never written. */
  ci: boolean;
}

export interface BehaviourLockCheck {
  /** Compare the scripts that ran and their events with the lock; returns the drift findings. */
  compare(run: { scripts: ScriptRecord[]; events: SandboxEvent[]; home?: string; cache?: string }): Finding[];
  /** Record new packages and undrifted changes (not under --ci, not when npm failed). Returns the file when it was written. */
  save(report: InstallReport): Promise<string | undefined>;
}

// Read the lock beside package-lock.json (absent is fine) and return the install's two uses of it.
export function openBehaviourLock(input: OpenBehaviourLockInput): BehaviourLockCheck {
  const file = join(input.projectDir, LOCK_FILE_NAME);
  const existing = readLock(file);
  const accept = (input.acceptDrift ?? []).map(parsePackageKey).filter(isPackageKey);
  let observed: ObservedPackage[] = [];
  let drifted = new Set<string>();
  return {
    compare(run) {
      observed = observeBehaviour(run.scripts, run.events, { projectDir: input.projectDir, home: run.home, cache: run.cache });
      if (!existing) {
        if (!input.ci || observed.length === 0) return [];
        return [{ rule: 'lock-missing', level: 'note', message: `no behaviour lock (${LOCK_FILE_NAME}): script bodies and behaviour were not compared. Run an install without --ci and commit the lock it writes.` }];
      }
      const result = findDrift(existing, observed, { accepts: acceptsDrift(accept) });
      drifted = result.drifted;
      return result.findings;
    },
    async save(report) {
      if (input.ci || report.npm.exitCode !== 0 || observed.length === 0) return undefined;
      const merged = mergeLock(existing ?? emptyLock(), observed, { skip: drifted, installed: installedKeys(input.projectDir) });
      const changed = await writeLock(file, merged);
      if (changed && !existing) process.stderr.write(`safe-install: wrote ${LOCK_FILE_NAME} (script hashes and behaviour of ${observed.length} package${observed.length === 1 ? '' : 's'}); review and commit it.\n`);
      return changed ? file : undefined;
    },
  };
}

// Tell whether an acceptDrift key names this package version.
function acceptsDrift(keys: PackageKey[]): (name: string, version: string) => boolean {
  return (name, version) => keys.some((key) => keyMatches(key, name, version));
}

// `name@version` of every package in the project's lockfile; undefined without one.
export function installedKeys(projectDir: string): Set<string> | undefined {
  const lockfile = readLockfile(projectDir);
  if (!lockfile?.packages) return undefined;
  const keys = new Set<string>();
  for (const [path, entry] of Object.entries(lockfile.packages)) {
    const name = entry.name ?? packageNameFromPath(path);
    if (name && entry.version) keys.add(`${name}@${entry.version}`);
  }
  return keys;
}
