// Watch the sensitive host paths during an install: chokidar live, plus a snapshot compared at the end.
import { resolve, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { diffSnapshots } from './diff-snapshots.js';
import { isWatchedPath, listWatchTargets } from './list-watch-targets.js';
import { mergeChanges } from './merge-changes.js';
import { takeSnapshot } from './take-snapshot.js';
import type { TamperChange, TamperWatch, TamperWatchOptions } from './types.js';

const kindOf = {
  add: 'added',
  addDir: 'added',
  change: 'changed',
  unlink: 'removed',
  unlinkDir: 'removed',
} as const;

// Start the witness and resolve once chokidar is ready and the first snapshot is taken.
// Watches are shallow (depth 0): a whole HOME costs 1-2 s and ~100 MiB, a depth-0 watch 4-14 ms.
export async function startTamperWatch(options: TamperWatchOptions): Promise<TamperWatch> {
  const targets = listWatchTargets(options);
  const targetPaths = new Set(targets.map((t) => t.path));
  const nodeModules = resolve(options.projectDir, 'node_modules');
  const live: TamperChange[] = [];

  const watcher: FSWatcher = watch([...targetPaths], {
    ignoreInitial: true,
    depth: 0,
    // An editor-style replace (write temp, rename over) becomes one `change`.
    atomic: true,
    followSymlinks: false,
    ignorePermissionErrors: true,
    persistent: true,
    // npm writes node_modules constantly; it is not ours to witness and would only cost CPU.
    ignored: (p: string) => p === nodeModules || p.startsWith(nodeModules + sep),
  });
  watcher.on('all', (event, path) => {
    const change = kindOf[event as keyof typeof kindOf];
    if (!change) return;
    const abs = resolve(path);
    if (isWatchedPath(targets, abs)) live.push({ path: abs, change, at: Date.now() });
    // A target directory that appears during the install (.github/workflows, ~/.config/systemd/user)
    // gets its own watch; what lands in it before the watch is up is caught by the snapshot.
    if (event === 'addDir' && targetPaths.has(abs)) watcher.add(abs);
  });
  // Errors (EACCES on a private dir, a target vanishing) must not crash the install; the snapshot remains.
  watcher.on('error', () => {});

  let before;
  try {
    [before] = await Promise.all([takeSnapshot(targets), new Promise<void>((ok) => watcher.once('ready', () => ok()))]);
  } catch (error) {
    await watcher.close();
    throw error;
  }

  let stopped: Promise<TamperChange[]> | undefined;
  return {
    stop() {
      stopped ??= (async () => {
        await watcher.close();
        const after = await takeSnapshot(targets);
        return mergeChanges(live, diffSnapshots(before, after, Date.now()));
      })();
      return stopped;
    },
  };
}
