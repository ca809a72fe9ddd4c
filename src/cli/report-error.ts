// Print an error the one way errors are printed, and return its exit code.
import { isSafeInstallError } from '../errors.js';

export function reportError(error: unknown): number {
  if (isSafeInstallError(error)) {
    process.stderr.write(`safe-install: ${error.message}\n${error.hint ? `${error.hint}\n` : ''}`);
    return error.code === 'ESANDBOX_UNAVAILABLE' ? 3 : error.code === 'EUSAGE' || error.code.startsWith('EPOLICY') ? 2 : 1;
  }
  process.stderr.write(`safe-install: unexpected error: ${(error as Error)?.message ?? String(error)}\n`);
  if (process.env.SAFE_INSTALL_DEBUG) process.stderr.write(`${(error as Error)?.stack}\n`);
  return 1;
}
