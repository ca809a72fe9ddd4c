// Run the prompt fixture in a real pseudo-terminal and drive it key by key.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInPty, type PtyRun } from '../helpers/pty.js';

export type { PtyRun };

const here = dirname(fileURLToPath(import.meta.url));
// Compiled to dist/test/prompt; the fixture stays in the source tree and imports dist/src.
export const fixture = join(here, '..', '..', '..', 'test', 'fixtures', 'prompt', 'ask.mjs');

// Start the fixture in a pseudo-terminal with extra environment variables.
export function runFixture(env: Record<string, string> = {}): PtyRun {
  return runInPty(process.execPath, [fixture], { env: { ...process.env, ...env }, cols: 200, rows: 50, defaultMs: 5000 });
}
