// Compare what this install saw with the behaviour lock (pure). Drift is: a different tarball or a
// changed or new script body for a package the lock knows, or behaviour (a host, a write outside the
// package's directory, a program) that no recorded version of the package showed.
import semver from 'semver';
import type { Finding } from '../report/types.js';
import type { BehaviourLock, LockEntry, ObservedPackage, SeenBehaviour } from './types.js';

export interface FindDriftOptions {
  /** Tells whether the policy accepts drift of this package version (policy `acceptDrift`). */
  accepts?: (name: string, version: string) => boolean;
}

export interface DriftResult {
  findings: Finding[];
  /** Keys (`name@version`) with drift the policy does not accept: the lock keeps their old state until `lock update`. */
  drifted: Set<string>;
}

const LISTS: { list: keyof SeenBehaviour; what: string }[] = [
  { list: 'hosts', what: 'contacted hosts' },
  { list: 'writes', what: 'wrote outside its directory to' },
  { list: 'executables', what: 'started programs' },
];
const SHOW = 10;

// Return one drift finding per package and kind of change.
export function findDrift(lock: BehaviourLock, observed: ObservedPackage[], options: FindDriftOptions = {}): DriftResult {
  const findings: Finding[] = [];
  const drifted = new Set<string>();
  for (const pkg of observed) {
    const same = lock.packages[pkg.key];
    const others = entriesOf(lock, pkg.name).filter(([key]) => key !== pkg.key);
    if (!same && others.length === 0) continue; // first time this package is seen: recorded, not drift
    const messages = [...scriptChanges(pkg, same, others), ...behaviourChanges(pkg, same, others)];
    if (messages.length === 0) continue;
    const accepted = options.accepts?.(pkg.name, pkg.version) ?? false;
    if (!accepted) drifted.add(pkg.key);
    for (const message of messages) {
      findings.push({
        rule: 'drift',
        level: accepted ? 'warning' : 'error',
        // Renderers put the package in front of the message.
        message: `${message}${accepted ? ' (accepted by the policy\'s acceptDrift)' : ''}`,
        package: pkg.key,
        path: pkg.path,
      });
    }
  }
  return { findings, drifted };
}

// A new tarball under the same version, and each script body that differs from the lock's.
function scriptChanges(pkg: ObservedPackage, same: LockEntry | undefined, others: [string, LockEntry][]): string[] {
  const out: string[] = [];
  if (same?.integrity && pkg.integrity && same.integrity !== pkg.integrity) {
    out.push(`the tarball changed under the same version (integrity ${short(same.integrity)} in the lock, ${short(pkg.integrity)} now)`);
  }
  for (const [event, hash] of Object.entries(pkg.scripts).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (same) {
      const before = same.scripts[event];
      if (before === undefined) out.push(`${event} script is new for this version (${short(hash)}); the lock records ${listEvents(same)}`);
      else if (before !== hash) out.push(`${event} script body changed for the same version (${short(before)} in the lock, ${short(hash)} now)`);
      continue;
    }
    // A new version: compare with the closest recorded version of the same package.
    const [baseKey, base] = closest(pkg.version, others);
    const before = base.scripts[event];
    if (others.some(([, entry]) => entry.scripts[event] === hash)) continue;
    if (before === undefined) out.push(`${event} script is new since ${baseKey} (${short(hash)})`);
    else out.push(`${event} script body changed since ${baseKey} (${short(before)} -> ${short(hash)})`);
  }
  return out;
}

// Behaviour no recorded version of the package showed.
function behaviourChanges(pkg: ObservedPackage, same: LockEntry | undefined, others: [string, LockEntry][]): string[] {
  const known = [...(same ? [same] : []), ...others.map(([, entry]) => entry)];
  const out: string[] = [];
  for (const { list, what } of LISTS) {
    const before = new Set(known.flatMap((entry) => entry.seen[list]));
    const fresh = pkg.seen[list].filter((item) => !before.has(item));
    if (fresh.length === 0) continue;
    const shown = fresh.slice(0, SHOW).join(', ') + (fresh.length > SHOW ? ` and ${fresh.length - SHOW} more` : '');
    out.push(`${what} ${shown}, which no recorded version of ${pkg.name} did`);
  }
  return out;
}

// Lock entries of one package name, newest version first.
export function entriesOf(lock: BehaviourLock, name: string): [string, LockEntry][] {
  return Object.entries(lock.packages)
    .filter(([key]) => nameOf(key) === name)
    .sort(([a], [b]) => compareVersions(versionOf(b), versionOf(a)));
}

// The recorded version nearest below `version`, else the lowest above it.
function closest(version: string, entries: [string, LockEntry][]): [string, LockEntry] {
  const below = entries.filter(([key]) => compareVersions(versionOf(key), version) < 0);
  return below[0] ?? entries[entries.length - 1];
}

function compareVersions(a: string, b: string): number {
  if (semver.valid(a) && semver.valid(b)) return semver.compare(a, b);
  return a < b ? -1 : a > b ? 1 : 0;
}

// Split `@scope/name@1.2.3` into its name and version.
export function nameOf(key: string): string {
  const at = key.lastIndexOf('@');
  return at > 0 ? key.slice(0, at) : key;
}

export function versionOf(key: string): string {
  const at = key.lastIndexOf('@');
  return at > 0 ? key.slice(at + 1) : '';
}

function listEvents(entry: LockEntry): string {
  const events = Object.keys(entry.scripts).sort();
  return events.length > 0 ? events.join(', ') : 'no scripts';
}

// The first 12 hex digits of a hash: enough to tell two apart in a message.
function short(hash: string): string {
  const [algo, value] = hash.includes('-') ? [hash.slice(0, hash.indexOf('-')), hash.slice(hash.indexOf('-') + 1)] : ['', hash];
  return `${algo}-${value.slice(0, 12)}`;
}
