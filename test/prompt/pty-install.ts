// Run the built safe-install CLI in a real pseudo-terminal, in a fixture project, and drive it key by key.
import { spawn as spawnPty } from 'node-pty';
import { createServer, type Server } from 'node:http';
import { CLI, testEnv, type Fixture } from '../helpers/fixture.js';

export interface PtyInstall {
  /** Every byte written to the terminal so far, as text. */
  text(): string;
  /** Resolve when the screen has shown `text` at least `count` times (or reject after ms). */
  waitFor(text: string, options?: { count?: number; ms?: number }): Promise<void>;
  press(keys: string): void;
  exited: Promise<{ exitCode: number; signal?: number }>;
}

// Start `safe-install <args>` in the fixture's project, with a terminal of 160x50.
export function ptyInstall(fixture: Fixture, args: string[], extraEnv: Record<string, string> = {}): PtyInstall {
  const pty = spawnPty(process.execPath, [CLI, ...args], {
    name: 'xterm', cols: 160, rows: 50, cwd: fixture.project, env: { ...testEnv(fixture, extraEnv), TERM: 'xterm' }, encoding: null,
  });
  const chunks: Buffer[] = [];
  const waiters = new Set<() => void>();
  pty.onData((d: string | Buffer) => {
    chunks.push(typeof d === 'string' ? Buffer.from(d, 'utf8') : d);
    for (const w of waiters) w();
  });
  const exited = new Promise<{ exitCode: number; signal?: number }>((resolve) => pty.onExit(resolve));
  const text = () => Buffer.concat(chunks).toString('utf8');
  return {
    text,
    press: (keys) => pty.write(keys),
    exited,
    waitFor(wanted, { count = 1, ms = 60_000 } = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (text().split(wanted).length - 1 < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          pty.kill();
          reject(new Error(`timed out waiting for ${JSON.stringify(wanted)} x${count}; screen: ${JSON.stringify(text().slice(-3000))}`));
        }, ms);
        waiters.add(check);
        void exited.then(() => setTimeout(() => {
          if (!waiters.has(check)) return;
          waiters.delete(check);
          clearTimeout(timer);
          reject(new Error(`exited before ${JSON.stringify(wanted)} x${count}; screen: ${JSON.stringify(text().slice(-3000))}`));
        }, 200));
        check();
      });
    },
  };
}

export interface LoopbackServer { port: number; paths: string[]; close(): Promise<void> }

// An HTTP server on 127.0.0.1 answering every GET with `payload <path>`, recording the paths asked for.
export async function startLoopbackServer(): Promise<LoopbackServer> {
  const paths: string[] = [];
  const server: Server = createServer((req, res) => {
    paths.push(req.url ?? '');
    res.end(`payload ${req.url}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  return { port, paths, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}
