// Read `safe-install.lock.json`. Absent is fine (no lock yet); unreadable, broken or invalid is an
// error naming the file and the field, like a broken policy (exit 2).
import { readFileSync } from 'node:fs';
import { SafeInstallError } from '../errors.js';
import { lockSchema } from './lock-schema.js';
import type { BehaviourLock } from './types.js';

// Return the lock in `file`, or undefined when there is none.
export function readLock(file: string): BehaviourLock | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SafeInstallError('EPOLICY_IO', `cannot read the behaviour lock ${file}: ${(error as Error).message}`, { hint: 'check its permissions', cause: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new SafeInstallError('EPOLICY_PARSE', `the behaviour lock ${file} is not valid JSON: ${(error as Error).message}`, {
      hint: 'resolve the merge conflict or restore it from git; `safe-install lock update` rewrites it from the last install report',
    });
  }
  const result = lockSchema.safeParse(data);
  if (!result.success) {
    const details = result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(top)', message: issue.message }));
    throw new SafeInstallError('EPOLICY_INVALID', `the behaviour lock ${file} is not a safe-install lock (${details[0].path}: ${details[0].message})`, {
      hint: 'restore it from git, or delete it and run an install to record a new one',
      details,
    });
  }
  return { lockfileVersion: 1, packages: result.data.packages };
}
