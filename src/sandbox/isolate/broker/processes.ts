// Child processes started by an isolate script: each runs in the process tier (bubblewrap, strace,
// its own proxy) under the script's grant, with the environment the script asked for applied
// inside the sandbox only, never to the host-side bwrap or strace.
import { spawn, type ChildProcess } from 'node:child_process';
import type { BrokerError } from '../protocol.js';

/** How to build the confined command for one child (the controller's sandboxCommand + hooks). */
export interface ChildLauncher {
  /** `script` receives the variables the sandbox adds (proxy settings) and returns the shell script to run. */
  (script: (sandboxEnv: Record<string, string>) => string, label: string): Promise<{ file: string; args: string[]; env: Record<string, string>; finish(): Promise<void> }>;
}

/** A child as the isolate describes it (already normalized there; re-checked here). */
export interface SpawnSpec { file: string; args: string[]; shell: boolean; cwd: string; env?: Record<string, string>; timeout: number; maxBuffer: number; input?: Uint8Array; stdio: string[] }

/** Most output the controller holds for one child the script is not reading, and most any sync call collects. */
const MAX_BUFFERED = 64 * 1024 * 1024;

type ProcEvent = { stream: 'stdout' | 'stderr'; data: Uint8Array } | { exit: true; code: number | null; signal: string | null };

// Quote one word for /bin/sh.
export function shellQuote(word: string): string {
  return `'${String(word).replace(/'/g, `'\\''`)}'`;
}

// The script run by the sandbox's shell: cd, a clean environment, then the program.
export function childScript(spec: SpawnSpec, env: Record<string, string>): string {
  const assignments = Object.entries(env).filter(([k]) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k)).map(([k, v]) => shellQuote(`${k}=${v}`));
  const program = spec.shell ? ['/bin/sh', '-c', [spec.file, ...spec.args].join(' ')] : [spec.file, ...spec.args];
  return `cd ${shellQuote(spec.cwd)} && exec /usr/bin/env -i ${assignments.join(' ')} ${program.map(shellQuote).join(' ')}`;
}

export interface Processes {
  spawnSync(spec: SpawnSpec, baseEnv: Record<string, string>): Promise<{ status: number | null; signal: string | null; stdout: Uint8Array; stderr: Uint8Array; error?: BrokerError }>;
  spawn(spec: SpawnSpec, baseEnv: Record<string, string>): Promise<number>;
  wait(handle: number): Promise<ProcEvent[]>;
  write(handle: number, data: Uint8Array): Promise<void>;
  end(handle: number): void;
  kill(handle: number, signal: string): void;
  close(): Promise<void>;
}

// Create the process table of one isolate script.
export function createProcesses(launch: ChildLauncher): Processes {
  const table = new Map<number, { child: ChildProcess; events: ProcEvent[]; waiter?: () => void; done: Promise<void>; held: number }>();
  let next = 1;

  async function start(spec: SpawnSpec, baseEnv: Record<string, string>) {
    validate(spec);
    const launched = await launch((sandboxEnv) => childScript(spec, { ...(spec.env ?? baseEnv), ...sandboxEnv }), [spec.file, ...spec.args].join(' '));
    const child = spawn(launched.file, launched.args, { env: launched.env, stdio: ['pipe', 'pipe', 'pipe'] });
    return { child, finish: launched.finish };
  }

  return {
    async spawnSync(spec, baseEnv) {
      const { child, finish } = await start(spec, baseEnv);
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let size = 0;
      let error: BrokerError | undefined;
      const maxBuffer = Math.min(Number(spec.maxBuffer) || MAX_BUFFERED, MAX_BUFFERED);
      const collect = (into: Buffer[]) => (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBuffer) {
          error = { message: 'spawnSync ENOBUFS', code: 'ENOBUFS' };
          child.kill('SIGKILL');
        } else into.push(chunk);
      };
      child.stdout!.on('data', collect(out));
      child.stderr!.on('data', collect(err));
      child.stdin!.on('error', () => undefined);
      child.stdin!.end(spec.input ? Buffer.from(spec.input) : undefined);
      const timer = spec.timeout > 0 ? setTimeout(() => { error = { message: 'spawnSync ETIMEDOUT', code: 'ETIMEDOUT' }; child.kill('SIGKILL'); }, spec.timeout) : undefined;
      const [status, signal] = await new Promise<[number | null, string | null]>((resolve) => {
        child.on('error', (e) => { error = { message: e.message, code: (e as NodeJS.ErrnoException).code }; resolve([null, null]); });
        child.on('close', (code, sig) => resolve([code, sig]));
      });
      clearTimeout(timer);
      await finish();
      return { status, signal, stdout: bytes(Buffer.concat(out)), stderr: bytes(Buffer.concat(err)), error };
    },
    async spawn(spec, baseEnv) {
      const { child, finish } = await start(spec, baseEnv);
      const id = next++;
      const entry = { child, events: [] as ProcEvent[], waiter: undefined as (() => void) | undefined, done: Promise.resolve(), held: 0 };
      const push = (event: ProcEvent) => {
        entry.events.push(event);
        // Back-pressure: a script that does not read its child's output does not fill the controller's memory.
        if ('data' in event && (entry.held += event.data.byteLength) > MAX_BUFFERED) { child.stdout?.pause(); child.stderr?.pause(); }
        entry.waiter?.();
      };
      child.stdout!.on('data', (d: Buffer) => push({ stream: 'stdout', data: bytes(d) }));
      child.stderr!.on('data', (d: Buffer) => push({ stream: 'stderr', data: bytes(d) }));
      child.stdin!.on('error', () => undefined);
      entry.done = new Promise((resolve) => child.on('close', (code, signal) => {
        void finish().finally(() => {
          push({ exit: true, code, signal });
          resolve();
        });
      }));
      if (spec.timeout > 0) setTimeout(() => child.kill('SIGKILL'), spec.timeout).unref();
      table.set(id, entry);
      return id;
    },
    async wait(handle) {
      const entry = table.get(handle);
      if (!entry) return [{ exit: true, code: null, signal: 'SIGKILL' }];
      if (!entry.events.length) await new Promise<void>((resolve) => (entry.waiter = resolve));
      entry.waiter = undefined;
      const events = entry.events.splice(0);
      entry.held = 0;
      entry.child.stdout?.resume();
      entry.child.stderr?.resume();
      if (events.some((e) => 'exit' in e)) table.delete(handle);
      return events;
    },
    async write(handle, data) {
      const child = table.get(handle)?.child;
      if (child?.stdin?.writable) await new Promise<void>((resolve) => child.stdin!.write(Buffer.from(data), () => resolve()));
    },
    end(handle) {
      table.get(handle)?.child.stdin?.end();
    },
    kill(handle, signal) {
      // Killing bwrap (or strace around it) ends the sandbox's pid namespace: every process in it.
      table.get(handle)?.child.kill(/^SIG[A-Z0-9]+$/.test(signal) ? (signal as NodeJS.Signals) : 'SIGTERM');
    },
    async close() {
      for (const entry of table.values()) entry.child.kill('SIGKILL');
      await Promise.all([...table.values()].map((e) => e.done));
      table.clear();
    },
  };
}

function validate(spec: SpawnSpec): void {
  if (typeof spec.file !== 'string' || !spec.file) throw Object.assign(new Error('The "file" argument must be a non-empty string'), { code: 'ERR_INVALID_ARG_VALUE' });
  if (!Array.isArray(spec.args) || spec.args.some((a) => typeof a !== 'string')) throw Object.assign(new Error('args must be strings'), { code: 'ERR_INVALID_ARG_TYPE' });
  if (typeof spec.cwd !== 'string' || !spec.cwd.startsWith('/')) throw Object.assign(new Error('cwd must be absolute'), { code: 'ERR_INVALID_ARG_VALUE' });
  for (const s of [spec.file, ...spec.args, spec.cwd, ...Object.entries(spec.env ?? {}).flat()]) if (String(s).includes('\0')) throw Object.assign(new Error('arguments must not contain null bytes'), { code: 'ERR_INVALID_ARG_VALUE' });
}

function bytes(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
