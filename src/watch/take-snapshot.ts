// Record a cheap fingerprint of every watched path, so changes chokidar missed or coalesced still show.
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { WatchTarget } from './types.js';

/** Files at or above this size are compared by size and mtime only. */
export const HASH_LIMIT = 1024 * 1024;

/** What a path looked like. Directories are compared by type only (their mtime moves with any entry). */
export interface Fingerprint {
  type: 'file' | 'dir' | 'symlink' | 'other';
  mode?: number;
  size?: number;
  mtimeMs?: number;
  sha256?: string;
  linkTarget?: string;
}

export type Snapshot = Map<string, Fingerprint>;

// Fingerprint one path without following symlinks; undefined when it does not exist or cannot be read.
async function fingerprint(path: string): Promise<Fingerprint | undefined> {
  let st;
  try {
    st = await lstat(path);
  } catch {
    return undefined;
  }
  if (st.isDirectory()) return { type: 'dir' };
  if (st.isSymbolicLink()) {
    const linkTarget = await readlink(path).catch(() => '');
    return { type: 'symlink', linkTarget };
  }
  if (!st.isFile()) return { type: 'other', mode: st.mode };
  const fp: Fingerprint = { type: 'file', mode: st.mode, size: st.size, mtimeMs: st.mtimeMs };
  if (st.size < HASH_LIMIT) {
    // A file we may not read (a mode-000 file) is still compared by size, mode and mtime.
    const data = await readFile(path).catch(() => undefined);
    if (data) fp.sha256 = createHash('sha256').update(data).digest('hex');
  }
  return fp;
}

// Take a snapshot of every target and, for directories, their accepted entries (depth 0).
export async function takeSnapshot(targets: WatchTarget[]): Promise<Snapshot> {
  const snap: Snapshot = new Map();
  await Promise.all(
    targets.map(async (t) => {
      const fp = await fingerprint(t.path);
      if (!fp) return;
      snap.set(t.path, fp);
      if (fp.type !== 'dir') return;
      const names = await readdir(t.path).catch(() => [] as string[]);
      const accepted = names.filter((n) => !t.acceptEntry || t.acceptEntry(n));
      await Promise.all(
        accepted.map(async (name) => {
          const p = join(t.path, name);
          const efp = await fingerprint(p);
          if (efp) snap.set(p, efp);
        }),
      );
    }),
  );
  return snap;
}
