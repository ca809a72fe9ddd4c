// Drive a program in a real pseudo-terminal (node-pty): everything it writes is kept, keys are typed,
// and `waitFor` resolves when the screen shows a text (a number of times), rejecting on timeout or
// when the program exits first. One driver for the prompt fixture, the CLI and the gates' questions.
import { spawn as spawnPty } from 'node-pty';

export interface PtyRun {
  /** Every byte the program wrote to the terminal so far. */
  screen(): Buffer;
  /** The same, as text. */
  text(): string;
  /** Resolve when the screen shows `wanted` (`count` times); `options` as a number is the timeout in ms. */
  waitFor(wanted: string, options?: number | { count?: number; ms?: number }): Promise<void>;
  press(keys: string): void;
  exited: Promise<{ exitCode: number; signal?: number }>;
}

export interface PtyOptions { cwd?: string; env: Record<string, string | undefined>; cols?: number; rows?: number; defaultMs: number }

// Start `file args` in a pseudo-terminal (xterm).
export function runInPty(file: string, args: string[], options: PtyOptions): PtyRun {
  const pty = spawnPty(file, args, { name: 'xterm', cols: options.cols ?? 200, rows: options.rows ?? 50, cwd: options.cwd, env: options.env as Record<string, string>, encoding: null });
  const chunks: Buffer[] = [];
  const waiters = new Set<() => void>();
  let done = false;
  pty.onData((d: string | Buffer) => {
    chunks.push(typeof d === 'string' ? Buffer.from(d, 'utf8') : d);
    for (const w of waiters) w();
  });
  const exited = new Promise<{ exitCode: number; signal?: number }>((resolve) => pty.onExit((e) => {
    done = true;
    // Late output is delivered first; then any wait still open fails.
    setTimeout(() => { for (const w of waiters) w(); }, 200);
    resolve(e);
  }));
  const screen = () => Buffer.concat(chunks);
  const text = () => screen().toString('utf8');
  return {
    screen,
    text,
    press: (keys) => pty.write(keys),
    exited,
    waitFor(wanted, opts) {
      const { count = 1, ms = options.defaultMs } = typeof opts === 'number' ? { ms: opts } : opts ?? {};
      return new Promise((resolve, reject) => {
        const check = () => {
          if (text().split(wanted).length - 1 >= count) finish();
          else if (done) finish(new Error(`exited before showing ${JSON.stringify(wanted)} x${count}; screen: ${JSON.stringify(text().slice(-3000))}`));
        };
        const finish = (error?: Error) => {
          clearTimeout(timer);
          waiters.delete(check);
          if (error) reject(error);
          else resolve();
        };
        const timer = setTimeout(() => {
          pty.kill();
          finish(new Error(`timed out waiting for ${JSON.stringify(wanted)} x${count}; screen: ${JSON.stringify(text().slice(-3000))}`));
        }, ms);
        waiters.add(check);
        if (text().split(wanted).length - 1 >= count) finish();
      });
    },
  };
}
