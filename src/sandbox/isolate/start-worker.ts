// Start the isolate worker and talk to it. The worker runs hostile JavaScript (inside isolates), so
// it is itself confined as defense in depth: bubblewrap with the read-only root, every secret
// directory hidden, no network, no writable path but a private empty directory, and an environment
// of PATH alone. Everything it may do for a script it asks the controller for.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bwrapArgv } from '../process/bwrap-argv.js';
import { withSeccomp } from '../process/seccomp-filter.js';
import type { BrokerError, ExitMessage, HostMessage, IsolateRunSpec, WorkerMessage } from './protocol.js';

/** Where safe-install itself lives: the worker reads its own code and the bundled ports from here. */
export const PACKAGE_ROOT = realpathSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..'));
const WORKER_JS = join(dirname(fileURLToPath(import.meta.url)), 'worker.js');
const READY_TIMEOUT_MS = 20_000;

export interface WorkerOptions {
  /** Confine the worker with bubblewrap (the install's host facts); absent: a scrubbed env only (tests, --unsafe-no-sandbox never gets here). */
  confine?: { bwrap: string; secretDirs: string[]; secretFiles?: string[]; toolDirs: string[]; scratch: string; seccomp?: string };
  /** node binary. @default process.execPath */
  node?: string;
}

export interface RunHandlers {
  call(op: string, args: unknown[], where: string): Promise<{ ok: boolean; value?: unknown; error?: BrokerError }>;
  output(stream: 'stdout' | 'stderr', data: string): void;
  note(kind: 'env.read', target: string, where: string): void;
}

export interface IsolateWorker {
  versions: Record<string, string>;
  run(spec: IsolateRunSpec, handlers: RunHandlers): Promise<Omit<ExitMessage, 't' | 'id'>>;
  cancel(id: number, reason: string): void;
  alive(): boolean;
  close(): Promise<void>;
}

// The argv that starts the worker (inside bwrap when confined).
export function workerArgv(options: WorkerOptions): string[] {
  const node = options.node ?? process.execPath;
  const command = [node, '--no-node-snapshot', WORKER_JS];
  if (!options.confine) return command;
  const { bwrap, secretDirs, secretFiles, toolDirs, scratch, seccomp } = options.confine;
  return withSeccomp([bwrap, ...bwrapArgv({
    pkgDir: scratch, projectDir: PACKAGE_ROOT, hidden: secretDirs, hiddenFiles: secretFiles ?? [], reexpose: toolDirs,
    readable: [], writable: [], readOnlyInside: [],
  }, command)], 0, seccomp);
}

// Start the worker and wait until it has loaded isolated-vm.
export async function startWorker(options: WorkerOptions = {}): Promise<IsolateWorker> {
  if (options.confine) mkdirSync(options.confine.scratch, { recursive: true, mode: 0o700 });
  const [file, ...args] = workerArgv(options);
  const child: ChildProcess = spawn(file, args, {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const runs = new Map<number, { handlers: RunHandlers; done(exit: Omit<ExitMessage, 't' | 'id'>): void }>();
  let exited = false;

  const versions = await new Promise<Record<string, string>>((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`the isolate worker did not start within ${READY_TIMEOUT_MS / 1000} s`)); }, READY_TIMEOUT_MS);
    child.once('message', (m: WorkerMessage) => {
      clearTimeout(timer);
      if (m.t === 'ready') resolve(m.versions);
      else reject(new Error('the isolate worker sent an unexpected first message'));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the isolate worker exited (${signal ?? code}) before it was ready: ${stderr.trim().split('\n').slice(-3).join(' ') || 'no output'}`));
    });
    child.once('error', (e) => { clearTimeout(timer); reject(e); });
  });

  const post = (message: HostMessage) => {
    if (!exited && child.connected) child.send(message);
  };
  child.on('message', (m: WorkerMessage) => {
    if (m.t === 'ready') return;
    const run = runs.get(m.id);
    if (!run) return;
    if (m.t === 'call') {
      void run.handlers.call(m.op, m.args, m.where).then(
        (reply) => post({ t: 'reply', id: m.id, call: m.call, ...reply }),
        (error: unknown) => post({ t: 'reply', id: m.id, call: m.call, ok: false, error: { message: String((error as Error)?.message ?? error) } }),
      );
    } else if (m.t === 'output') run.handlers.output(m.stream, m.data);
    else if (m.t === 'note') run.handlers.note(m.kind, m.target, m.where);
    else if (m.t === 'exit') {
      runs.delete(m.id);
      run.done({ code: m.code, timedOut: m.timedOut, reason: m.reason });
    }
  });
  child.on('exit', (code, signal) => {
    exited = true;
    for (const [id, run] of runs) {
      runs.delete(id);
      run.done({ code: 1, timedOut: false, reason: `the isolate worker died (${signal ?? code})` });
    }
  });

  return {
    versions,
    alive: () => !exited,
    run(spec, handlers) {
      if (exited) return Promise.resolve({ code: 1, timedOut: false, reason: 'the isolate worker is not running' });
      return new Promise((resolve) => {
        runs.set(spec.id, { handlers, done: resolve });
        post({ t: 'run', spec });
      });
    },
    cancel(id, reason) {
      post({ t: 'cancel', id, reason });
    },
    async close() {
      if (exited) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await gone;
    },
  };
}
