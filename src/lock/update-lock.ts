// `safe-install lock update`: after a person reviewed drift, record the behaviour of the last install
// (its saved JSON report) in the lock, drift included, and drop versions no longer installed.
import { join } from 'node:path';
import type { InstallReport } from '../report/types.js';
import { SafeInstallError } from '../errors.js';
import { observeBehaviour } from './observe-behaviour.js';
import { mergeLock } from './merge-lock.js';
import { readLock } from './read-lock.js';
import { writeLock } from './write-lock.js';
import { installedKeys } from './check-behaviour-lock.js';
import { formatLock } from './format-lock.js';
import { emptyLock, LOCK_FILE_NAME, type BehaviourLock } from './types.js';

export interface UpdateLockInput {
  report: InstallReport;
  /** Where the lock lives. @default the report's project directory */
  projectDir?: string;
  home?: string;
  cache?: string;
}

export interface UpdateLockResult {
  file: string;
  written: boolean;
  added: string[];
  updated: string[];
  removed: string[];
}

// Record the report's packages in the lock and say what changed.
export async function updateLock(input: UpdateLockInput): Promise<UpdateLockResult> {
  const { report } = input;
  if (report.npm.exitCode !== 0) {
    throw new SafeInstallError('EUSAGE', `the report is of an install where npm failed (exit ${report.npm.exitCode}); its scripts may not all have run`, {
      hint: 'run the install again until npm succeeds, then `safe-install lock update`',
    });
  }
  const projectDir = input.projectDir ?? report.projectDir;
  const file = join(projectDir, LOCK_FILE_NAME);
  const before = readLock(file) ?? emptyLock();
  const observed = observeBehaviour(report.scripts, report.events, { projectDir: report.projectDir, home: input.home, cache: input.cache });
  const after = mergeLock(before, observed, { installed: installedKeys(projectDir) });
  const written = await writeLock(file, after);
  return { file, written, ...changes(before, after) };
}

function changes(before: BehaviourLock, after: BehaviourLock): Pick<UpdateLockResult, 'added' | 'updated' | 'removed'> {
  const keys = (lock: BehaviourLock) => Object.keys(lock.packages).sort();
  return {
    added: keys(after).filter((k) => !before.packages[k]),
    updated: keys(after).filter((k) => before.packages[k] && !same(before, after, k)),
    removed: keys(before).filter((k) => !after.packages[k]),
  };
}

function same(a: BehaviourLock, b: BehaviourLock, key: string): boolean {
  const one = (lock: BehaviourLock) => formatLock({ lockfileVersion: 1, packages: { [key]: lock.packages[key] } });
  return one(a) === one(b);
}
