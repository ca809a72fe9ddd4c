// Parse the package keys npm's `allowScripts` uses: `name`, `name@1.2.3`, `name@1.2.3 || 1.2.4`.
import semver from 'semver';
import type { PatternProblem } from './patterns.js';

/** A parsed key. `versions` absent: every version of the package. */
export interface PackageKey {
  name: string;
  versions?: string[];
}

const NAME = /^(?:@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*$/i;
const EXPECTED = 'a package name, name@1.2.3, or name@1.2.3 || 1.2.4 (exact versions only)';

// Parse a key or return what is wrong with it.
export function parsePackageKey(key: string): PackageKey | PatternProblem {
  const bad = (message: string, hint?: string): PatternProblem => ({ message, expected: EXPECTED, hint });
  const trimmed = key.trim();
  if (trimmed.length === 0) return bad('empty package key');
  const at = trimmed.indexOf('@', 1);
  const name = at === -1 ? trimmed : trimmed.slice(0, at);
  if (name.length > 214 || !NAME.test(name)) return bad(`"${name}" is not a valid package name`);
  if (at === -1) return { name };
  const spec = trimmed.slice(at + 1);
  const parts = spec.split('||').map((s) => s.trim());
  const versions: string[] = [];
  for (const part of parts) {
    if (semver.valid(part) === part) {
      versions.push(part);
      continue;
    }
    if (part === '' ) return bad(`"${key}" has an empty version`);
    const isRange = semver.validRange(part) !== null;
    return bad(
      isRange ? `"${part}" in "${key}" is a version range; only exact versions are allowed` : `"${part}" in "${key}" is not a version`,
      `write "${name}@<exact version>" for one version or "${name}" for every version`,
    );
  }
  return { name, versions: [...new Set(versions)].sort(semver.compare) };
}

// Tell a parsed key from a problem.
export function isPackageKey(value: PackageKey | PatternProblem): value is PackageKey {
  return 'name' in value;
}

// Write a key back in its canonical form (versions sorted, one " || " between them).
export function formatPackageKey(key: PackageKey): string {
  return key.versions ? `${key.name}@${key.versions.join(' || ')}` : key.name;
}

// Tell whether a key names this package version. A versioned key never matches an unknown version.
export function keyMatches(key: PackageKey, name: string, version?: string): boolean {
  if (key.name !== name) return false;
  if (!key.versions) return true;
  return version !== undefined && key.versions.includes(version);
}
