// Name the shallow places an attack writes and a lifecycle script should not.
import { basename, dirname, join, resolve } from 'node:path';
import type { TamperWatchOptions, WatchTarget } from './types.js';

const isDotfile = (name: string) => name.startsWith('.');
const notNodeModules = (name: string) => name !== 'node_modules';

// List the watch targets for a project and a HOME; duplicates keep their first (narrowest) filter.
export function listWatchTargets({ projectDir, home, extraPaths = [] }: TamperWatchOptions): WatchTarget[] {
  const project = resolve(projectDir);
  const h = resolve(home);
  const targets: WatchTarget[] = [
    // The project root: package.json, .npmrc, lockfile, config files. node_modules is npm's to write.
    { path: project, acceptEntry: notNodeModules },
    { path: join(project, '.git', 'hooks') },
    { path: join(project, '.git', 'config') },
    { path: join(project, '.github') },
    { path: join(project, '.github', 'workflows') },
    // HOME's dotfiles: shell rc files, .npmrc, .gitconfig, .profile (persistence and token theft).
    { path: h, acceptEntry: isDotfile },
    { path: join(h, '.ssh') },
    { path: join(h, '.aws') },
    { path: join(h, '.config') },
    { path: join(h, '.config', 'systemd', 'user') },
    { path: join(h, '.npm') },
    { path: join(h, '.npmrc') },
    ...extraPaths.map((p) => ({ path: resolve(p) })),
  ];
  const seen = new Map<string, WatchTarget>();
  for (const t of targets) if (!seen.has(t.path)) seen.set(t.path, t);
  return [...seen.values()];
}

// Say whether a path is one the witness reports: a target itself, or an accepted entry of a target.
export function isWatchedPath(targets: WatchTarget[], path: string): boolean {
  const p = resolve(path);
  const parent = dirname(p);
  for (const t of targets) {
    if (t.path === p) return true;
    if (t.path === parent && (!t.acceptEntry || t.acceptEntry(basename(p)))) return true;
  }
  return false;
}
