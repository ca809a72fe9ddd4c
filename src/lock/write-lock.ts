// Write `safe-install.lock.json` atomically (a reader never sees half a file), only when it changed.
import { readFileSync } from 'node:fs';
import writeFileAtomic from 'write-file-atomic';
import { SafeInstallError } from '../errors.js';
import { formatLock } from './format-lock.js';
import type { BehaviourLock } from './types.js';

// Write the lock; true when the file's content changed.
export async function writeLock(file: string, lock: BehaviourLock): Promise<boolean> {
  const text = formatLock(lock);
  let before: string | undefined;
  try {
    before = readFileSync(file, 'utf8');
  } catch { /* no lock yet */ }
  if (before === text) return false;
  try {
    await writeFileAtomic(file, text, { encoding: 'utf8' });
  } catch (error) {
    throw new SafeInstallError('EREPORT_IO', `could not write the behaviour lock ${file}: ${(error as Error).message}`, { hint: 'check that the project directory is writable', cause: error });
  }
  return true;
}
