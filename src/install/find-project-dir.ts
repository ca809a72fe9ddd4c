// Find the project root the way npm does: the nearest directory upward holding package.json or node_modules.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

// Return npm's local prefix for `cwd` (or `prefix` when the user passed --prefix).
export function findProjectDir(cwd: string, prefix?: string): string {
  if (prefix) return resolve(cwd, prefix);
  let dir = resolve(cwd);
  for (;;) {
    if (existsSync(join(dir, 'package.json')) || existsSync(join(dir, 'node_modules'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(cwd);
    dir = parent;
  }
}
