// Serialize the behaviour lock with every object's keys sorted and lists sorted, so a diff shows
// only what changed (pure).
import type { BehaviourLock } from './types.js';

const COMMENT = 'safe-install behaviour lock: per package@version, the sha256 of each lifecycle script and what its scripts were seen doing. Commit it; review changes like code; after reviewing drift run `safe-install lock update`.';

// Return the file text: stable, two-space indented, with a trailing newline.
export function formatLock(lock: BehaviourLock): string {
  return `${JSON.stringify(sortDeep({ $comment: COMMENT, lockfileVersion: lock.lockfileVersion, packages: lock.packages }), null, 2)}\n`;
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return [...value].map(sortDeep).sort((a, b) => (typeof a === 'string' && typeof b === 'string' ? (a < b ? -1 : a > b ? 1 : 0) : 0));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortDeep((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}
