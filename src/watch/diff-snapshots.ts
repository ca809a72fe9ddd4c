// Compare two snapshots of the watched paths.
import type { Fingerprint, Snapshot } from './take-snapshot.js';
import type { TamperChange } from './types.js';

// Say whether two fingerprints describe the same content.
function sameFingerprint(a: Fingerprint, b: Fingerprint): boolean {
  return (
    a.type === b.type &&
    a.mode === b.mode &&
    a.size === b.size &&
    a.mtimeMs === b.mtimeMs &&
    a.sha256 === b.sha256 &&
    a.linkTarget === b.linkTarget
  );
}

// List paths added, changed or removed between two snapshots, sorted by path; `at` is the comparison time.
export function diffSnapshots(before: Snapshot, after: Snapshot, at: number): TamperChange[] {
  const out: TamperChange[] = [];
  for (const [path, fp] of after) {
    const old = before.get(path);
    if (!old) out.push({ path, change: 'added', at });
    else if (!sameFingerprint(old, fp)) out.push({ path, change: 'changed', at });
  }
  for (const path of before.keys()) if (!after.has(path)) out.push({ path, change: 'removed', at });
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
