// Run the built safe-install CLI in a real pseudo-terminal, in a fixture project, and drive it key by key.
import { createServer, type Server } from 'node:http';
import { CLI, testEnv, type Fixture } from '../helpers/fixture.js';
import { runInPty, type PtyRun } from '../helpers/pty.js';

export type PtyInstall = PtyRun;

// Start `safe-install <args>` in the fixture's project, with a terminal of 160x50.
export function ptyInstall(fixture: Fixture, args: string[], extraEnv: Record<string, string> = {}): PtyInstall {
  return runInPty(process.execPath, [CLI, ...args], { cwd: fixture.project, env: { ...testEnv(fixture, extraEnv), TERM: 'xterm' }, cols: 160, rows: 50, defaultMs: 60_000 });
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
