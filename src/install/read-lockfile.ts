// Read the project's lockfile (package-lock.json, then npm-shrinkwrap.json, then npm's hidden
// lockfile), re-reading only when it changed on disk.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Lockfile } from './resolve-identity.js';

const NAMES = ['npm-shrinkwrap.json', 'package-lock.json', 'node_modules/.package-lock.json'];
const cache = new Map<string, { mtimeMs: number; size: number; lockfile: Lockfile }>();

// Return the first readable lockfile of `projectDir`, or undefined when there is none yet.
export function readLockfile(projectDir: string): Lockfile | undefined {
  for (const name of NAMES) {
    const file = join(projectDir, name);
    let stat;
    try {
      stat = statSync(file);
    } catch {
      continue;
    }
    const cached = cache.get(file);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.lockfile;
    try {
      const lockfile = JSON.parse(readFileSync(file, 'utf8')) as Lockfile;
      if (typeof lockfile !== 'object' || lockfile === null) continue;
      cache.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, lockfile });
      return lockfile;
    } catch {
      continue;
    }
  }
  return undefined;
}
