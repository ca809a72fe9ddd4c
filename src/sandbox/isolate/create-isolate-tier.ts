// The isolate tier as the controller sees it: decide up front whether a script runs in an isolate
// (its form, a scan of its requires, a worker that started), then run it with its calls brokered
// under the same grant and sandbox view as the process tier, streaming its output to the shim.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, totalmem, release, endianness } from 'node:os';
import { createRequire } from 'node:module';
import type { SandboxEvent } from '../../events/types.js';
import type { HostFacts } from '../process/probe-host.js';
import { bwrapArgv } from '../process/bwrap-argv.js';
import { sandboxLayout, sandboxCommand, type SandboxCommandInput } from '../../install/sandbox-command.js';
import { parseNodeCommand } from './parse-node-command.js';
import { scanRequires } from './scan-requires.js';
import { mountsFromBwrapArgv, envFromBwrapArgv } from './view/mounts.js';
import { createViewFs, type FsNote } from './view/view-fs.js';
import { sensitivePathMatcher } from '../process/strace/sensitive-paths.js';
import { isExpectedHomeWrite, isExpectedRead } from '../process/strace/expected-attempts.js';
import { isSecretEnvName } from '../../policy/decide.js';
import { createBroker } from './broker/create-broker.js';
import { createProcesses } from './broker/processes.js';
import { createHttpClient } from './broker/http.js';
import { startWorker, type IsolateWorker } from './start-worker.js';
import { SUPPORTED_BUILTINS } from './runtime/index.js';
import type { IsolateEntry } from './protocol.js';

/** The per-script hooks result the process tier uses (strace prefix, proxy, finish). */
export interface PreparedHooks { tracer?: string[]; inner?: string[]; env?: Record<string, string>; proxySocket?: string; finish(): Promise<SandboxEvent[]> }

/** One script the controller offers to the isolate tier. */
export interface IsolateRequest {
  id: number;
  who: { package: string; path: string; script: string };
  command: string;
  /** The scrubbed environment the process tier would give it. */
  env: Record<string, string>;
  /** npm's environment (only the names of what the scrub removed are used). */
  npmEnv: Record<string, string | undefined>;
  /** Everything sandboxCommand needs but the script and hooks. */
  base: Omit<SandboxCommandInput, 'script' | 'tracer' | 'inner' | 'proxySocket'>;
  timeoutMs: number;
  /** Per-child (and per-proxy) hooks: the controller's hooks.prepare under a fresh id. */
  prepare(): Promise<PreparedHooks | undefined>;
  output(stream: 'stdout' | 'stderr', data: string): void;
  /** Ask the user about a write the sandbox refuses; absent: refuse. */
  askWrite?(path: string): Promise<boolean>;
}

export type IsolateDecision =
  | { tier: 'isolate'; done: Promise<{ code: number; timedOut: boolean; reason?: string; durationMs: number }>; finish(): Promise<SandboxEvent[]>; cancel(reason: string): void }
  | { tier: 'process'; reason: string };

export interface IsolateTier {
  /** Why the tier cannot be used at all, when it cannot. */
  unavailable?: string;
  route(request: IsolateRequest): Promise<IsolateDecision>;
  close(): Promise<void>;
}

export interface IsolateTierOptions {
  workDir: string;
  host: HostFacts;
  /** Heap limit per isolate. @default 256 */
  memoryMb?: number;
  /** Confine the worker with bwrap. @default true */
  confineWorker?: boolean;
  /** Treat the tier as unavailable for this reason (tests; isolated-vm present or not). */
  unavailable?: string;
}

// Tell whether isolated-vm is installed (it is an optional dependency).
export function isolatedVmMissing(): string | undefined {
  try {
    createRequire(import.meta.url).resolve('isolated-vm');
    if (Number(process.versions.node.split('.')[0]) < 16) return `Node ${process.versions.node} is too old for isolated-vm`;
    return undefined;
  } catch {
    return 'isolated-vm is not installed (optional dependency; it needs a C++ toolchain on Node 20/22)';
  }
}

// Create the tier; the worker starts at the first eligible script.
export function createIsolateTier(options: IsolateTierOptions): IsolateTier {
  const missing = options.unavailable ?? isolatedVmMissing();
  let worker: Promise<IsolateWorker> | undefined;
  let broken: string | undefined = missing;
  const getWorker = () => {
    worker ??= startWorker(options.confineWorker === false ? {} : {
      confine: { bwrap: options.host.bwrap, secretDirs: options.host.secretDirs, secretFiles: options.host.secretFiles, toolDirs: options.host.toolDirs, scratch: join(options.workDir, 'isolate-worker'), seccomp: options.host.seccomp },
    });
    return worker;
  };

  return {
    unavailable: missing,
    async route(request) {
      if (broken) return { tier: 'process', reason: `isolate tier unavailable: ${broken}` };
      const parsed = parseNodeCommand(request.command);
      if (typeof parsed === 'string') return { tier: 'process', reason: `not a plain node command: ${parsed}` };
      const scratch = join(options.workDir, `isolate-${request.id}`);
      const argv = bwrapArgv(sandboxLayout({ ...request.base, script: '' }), ['true']);
      const mounts = mountsFromBwrapArgv(argv, existsSync);
      // The same variables the sandbox sets (tool defaults), on top of the scrubbed environment.
      const env = { ...request.env, ...envFromBwrapArgv(argv) };
      const events: SandboxEvent[] = [];
      let broker: ReturnType<typeof createBroker> | undefined;
      const fs = createViewFs({ mounts, scratch, note: (n) => noteAccess(n), askWrite: request.askWrite });
      // Report as the process tier does: hidden reads of sensitive paths, writes contained in the synthetic HOME,
      // with a tool's usual start-up lookups and cache writes marked expected (never a deviation).
      const home = request.npmEnv.HOME ?? request.env.HOME ?? '/nonexistent';
      const sensitive = sensitivePathMatcher({ home, projectDir: request.base.projectDir });
      const noteAccess = (n: FsNote) => {
        if (n.contained) return broker?.note(n.kind, n.target, false, `${n.detail}: contained in the synthetic HOME (tmpfs, discarded)`, { expected: isExpectedHomeWrite(n.target, 'node', home) });
        if (n.kind === 'fs.read' && !n.allowed) {
          if (!sensitive(n.target)) return undefined;
          return broker?.note(n.kind, n.target, false, n.detail, { expected: isExpectedRead(n.target, 'node', home) });
        }
        return broker?.note(n.kind, n.target, n.allowed, n.detail, { asked: n.asked });
      };
      const cwd = request.base.pkgDir;
      const isBuiltin = (name: string) => SUPPORTED_BUILTINS.has(name.startsWith('node:') ? name.slice(5) : name);
      const scan = scanRequires(fs, parsed.kind === 'eval' ? { code: parsed.code } : { file: parsed.file }, cwd, isBuiltin);
      if (scan.reason) return { tier: 'process', reason: scan.reason };
      let w: IsolateWorker;
      try {
        w = await getWorker();
        if (!w.alive()) {
          worker = undefined;
          w = await getWorker();
        }
      } catch (error) {
        broken = String((error as Error).message ?? error);
        return { tier: 'process', reason: `isolate tier unavailable: ${broken}` };
      }

      // From here on the script runs in the isolate, whatever happens: no second run elsewhere.
      mkdirSync(scratch, { recursive: true, mode: 0o700 });
      const finishers: (() => Promise<SandboxEvent[]>)[] = [];
      let proxy: Promise<PreparedHooks | undefined> | undefined;
      const launch = async (script: (env: Record<string, string>) => string) => {
        const hooks = await request.prepare();
        if (hooks) finishers.push(hooks.finish);
        const hostEnv = { ...request.env, ...(hooks?.env ?? {}) };
        const cmd = sandboxCommand({ ...request.base, env: hostEnv, script: script(hooks?.env ?? {}), tracer: hooks?.tracer, inner: hooks?.inner, proxySocket: hooks?.proxySocket });
        return { file: cmd.file, args: shareTmp(cmd.args, scratch), env: hostEnv, finish: async () => undefined };
      };
      const started = Date.now();
      broker = createBroker({
        who: request.who, fs, env, cwd, isBuiltin, started,
        processes: createProcesses(launch),
        http: createHttpClient(async () => {
          proxy ??= request.prepare().then((hooks) => { if (hooks) finishers.push(hooks.finish); return hooks; });
          const hooks = await proxy;
          if (!hooks?.proxySocket) throw Object.assign(new Error('no network proxy for this script'), { code: 'ECONNREFUSED' });
          return hooks.proxySocket;
        }),
      });
      const entry: IsolateEntry = parsed.kind === 'eval' ? { kind: 'eval', code: parsed.code } : { kind: 'file', file: parsed.file };
      const argv0 = request.env.npm_node_execpath || request.env.NODE || process.execPath;
      const scriptArgv = parsed.kind === 'eval' ? [argv0, ...parsed.args] : [argv0, join(cwd, parsed.file), ...parsed.args];
      // Only credential-looking names the scrub removed: a read of one is worth reporting (never their values).
      const hiddenEnv = Object.keys(request.npmEnv).filter((k) => !(k in env) && (isSecretEnvName(k) || /token|secret|passw|credential|auth/i.test(k)));
      const done = w.run({
        id: request.id, entry, argv: scriptArgv, env, hiddenEnv, cwd, execPath: argv0,
        memoryMb: options.memoryMb ?? 256, timeoutMs: request.timeoutMs,
        os: { platform: process.platform, arch: process.arch, release: release(), cpus: cpus().length, totalmem: totalmem(), endianness: endianness(), version: process.version, versions: { ...process.versions } as Record<string, string>, config: JSON.parse(JSON.stringify(process.config)) },
      }, {
        call: (op, args, where) => broker!.handle(op, args, where),
        output: request.output,
        // Reported, not a deviation: the process tier cannot see such reads, and the script saw `undefined`.
        note: (kind, target, where) => broker!.note(kind, target, false, 'read of a credential variable the scrub removed (the script saw undefined)', { expected: true, where }),
      }).then((exit) => ({ ...exit, code: parsed.orTrue && !exit.timedOut ? 0 : exit.code, durationMs: Date.now() - started }));
      return {
        tier: 'isolate',
        done,
        cancel: (reason) => w.cancel(request.id, reason),
        async finish() {
          await broker!.close();
          const proxied: SandboxEvent[] = [];
          for (const finish of finishers) proxied.push(...(await finish().catch(() => [])));
          for (const event of proxied) {
            // The script's own HTTP went through its proxy: attribute those events to the isolate call.
            const from = event.source === 'proxy' ? broker!.netWhere.get(event.target) : undefined;
            if (from !== undefined) events.push({ ...event, tier: 'isolate', detail: `${event.detail ?? ''} at ${from}`.trim() });
            else events.push(event);
          }
          rmSync(scratch, { recursive: true, force: true });
          return [...broker!.events, ...events];
        },
      };
    },
    async close() {
      const w = await worker?.catch(() => undefined);
      await w?.close();
    },
  };
}

// Give a child process the script's own /tmp: bind the isolate's scratch /tmp over the sandbox's fresh one.
// IMPORTANT: right after `--tmpfs /tmp`, so that anything the layout binds under /tmp still lands on top.
export function shareTmp(args: string[], scratch: string): string[] {
  const at = args.findIndex((a, i) => a === '--tmpfs' && args[i + 1] === '/tmp');
  if (at < 0) return args;
  const tmp = `${scratch}/tmpfs/tmp`;
  mkdirSync(tmp, { recursive: true, mode: 0o700 });
  return [...args.slice(0, at + 2), '--bind', tmp, '/tmp', ...args.slice(at + 2)];
}
