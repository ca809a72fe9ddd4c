// Run the prompt fixture in a real pseudo-terminal and drive it key by key.
import { spawn as spawnPty } from 'node-pty';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// Compiled to dist/test/prompt; the fixture stays in the source tree and imports dist/src.
export const fixture = join(here, '..', '..', '..', 'test', 'fixtures', 'prompt', 'ask.mjs');

export interface PtyRun {
  /** Every byte the program wrote to the terminal so far. */
  screen(): Buffer;
  /** Resolve when the screen contains text (or reject after ms). */
  waitFor(text: string, ms?: number): Promise<void>;
  press(keys: string): void;
  exited: Promise<{ exitCode: number; signal?: number }>;
}

// Start the fixture in a pseudo-terminal with extra environment variables.
export function runFixture(env: Record<string, string> = {}): PtyRun {
  const pty = spawnPty(process.execPath, [fixture], {
    name: 'xterm',
    cols: 200,
    rows: 50,
    env: { ...process.env, ...env } as Record<string, string>,
    encoding: null,
  });
  const chunks: Buffer[] = [];
  const waiters = new Set<() => void>();
  pty.onData((d: string | Buffer) => {
    chunks.push(typeof d === 'string' ? Buffer.from(d, 'utf8') : d);
    for (const w of waiters) w();
  });
  const exited = new Promise<{ exitCode: number; signal?: number }>((resolve) => pty.onExit(resolve));
  const screen = () => Buffer.concat(chunks);
  return {
    screen,
    press: (keys) => pty.write(keys),
    exited,
    waitFor(text, ms = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!screen().includes(text)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          pty.kill();
          reject(new Error(`timed out waiting for ${JSON.stringify(text)}; screen: ${JSON.stringify(screen().toString('utf8'))}`));
        }, ms);
        waiters.add(check);
        check();
      });
    },
  };
}
