// The host-side broker of one isolate script: every call that needs a capability arrives here with
// the script's own stack frame, is applied under the script's grant (files through its sandbox view,
// processes in the process tier, HTTP through its proxy), and leaves an event.
import type { EventKind, SandboxEvent } from '../../../events/types.js';
import type { BrokerError } from '../protocol.js';
import type { ViewFs } from '../view/view-fs.js';
import { resolveModule } from '../view/resolve-module.js';
import type { Processes, SpawnSpec } from './processes.js';
import type { HttpClient, HttpSpec } from './http.js';

export interface BrokerOptions {
  who: { package: string; path: string; script: string };
  fs: ViewFs;
  processes: Processes;
  http: HttpClient;
  /** The scrubbed environment: what a child gets when the script passes none. */
  env: Record<string, string>;
  cwd: string;
  isBuiltin(name: string): boolean;
  started: number;
}

/** How an event was decided and where the script was; `where` defaults to the current call's frame. */
export interface NoteExtra { asked?: boolean; expected?: boolean; where?: string }

export interface Broker {
  handle(op: string, args: unknown[], where: string): Promise<{ ok: boolean; value?: unknown; error?: BrokerError }>;
  /** Record an event the isolate noticed itself (a read of a scrubbed variable). */
  note(kind: EventKind, target: string, allowed: boolean, detail: string, extra?: NoteExtra): void;
  events: SandboxEvent[];
  /** Where each network destination was first requested, to attribute the proxy's events. */
  netWhere: Map<string, string>;
  close(): Promise<void>;
}

// Create the broker of one script.
export function createBroker(options: BrokerOptions): Broker {
  const events: SandboxEvent[] = [];
  const seen = new Set<string>();
  const netWhere = new Map<string, string>();
  let where = '';

  function note(kind: EventKind, target: string, allowed: boolean, detail: string, extra: NoteExtra = {}): void {
    const { asked, expected } = extra;
    const decision = asked ? (allowed ? 'asked-allowed' : 'asked-denied') : allowed ? 'allowed' : 'denied';
    const key = `${kind}\0${target}\0${decision}`;
    if (seen.has(key) || events.length >= 2000) return;
    seen.add(key);
    events.push({ ...options.who, kind, target, decision, tier: 'isolate', source: 'isolate', detail: `${detail} at ${extra.where ?? (where || '(no stack)')}`, ...(expected ? { expected } : {}), at: Date.now() - options.started });
  }

  const ops: Record<string, (...a: any[]) => unknown> = {
    load(request: string, from: string | null) {
      const found = resolveModule(options.fs, String(request), from, options.cwd, options.isBuiltin);
      if (!found) throw notFound(request, from);
      if ('builtin' in found) return found;
      if (found.format === 'addon') throw Object.assign(new Error(`Cannot load native addon ${found.filename} in safe-install's isolate tier`), { code: 'ERR_DLOPEN_FAILED' });
      if (found.format === 'esm') throw Object.assign(new Error(`require() of ES Module ${found.filename} not supported.`), { code: 'ERR_REQUIRE_ESM' });
      return { filename: found.filename, format: found.format, source: options.fs.readText(found.filename) };
    },
    // What `import` loads: ES modules, and CommonJS, JSON and built-ins through facades the worker builds.
    import(request: string, from: string | null) {
      const found = resolveModule(options.fs, String(request), from, options.cwd, options.isBuiltin, 'import');
      if (!found) throw Object.assign(new Error(`Cannot find ${/^[.\/]|^file:/.test(String(request)) ? 'module' : 'package'} '${request}' imported from ${from ?? options.cwd}`), { code: 'ERR_MODULE_NOT_FOUND' });
      if ('builtin' in found) return found;
      if (found.format === 'addon') throw Object.assign(new Error(`Unknown file extension ".node" for ${found.filename}`), { code: 'ERR_UNKNOWN_FILE_EXTENSION' });
      return { filename: found.filename, format: found.format, source: options.fs.readText(found.filename) };
    },
    resolve(request: string, from: string | null, mode?: string) {
      const found = resolveModule(options.fs, String(request), from, options.cwd, options.isBuiltin, mode === 'import' ? 'import' : 'require');
      if (!found) throw notFound(request, from);
      return 'builtin' in found ? found.builtin : found.filename;
    },
    fs: (op: string, args: unknown[]) => options.fs.call(String(op), Array.isArray(args) ? args : []),
    spawnSync(spec: SpawnSpec) {
      note('proc.exec', spec.file, true, `spawnSync ${label(spec)}`);
      return options.processes.spawnSync(spec, options.env);
    },
    spawn(spec: SpawnSpec) {
      note('proc.exec', spec.file, true, `spawn ${label(spec)}`);
      return options.processes.spawn(spec, options.env);
    },
    'proc.wait': (h: number) => options.processes.wait(h),
    'proc.write': (h: number, data: Uint8Array) => options.processes.write(h, data),
    'proc.end': (h: number) => options.processes.end(h),
    'proc.kill': (h: number, signal: string) => options.processes.kill(h, signal),
    'http.request'(spec: HttpSpec) {
      try {
        const u = new URL(spec.url);
        const key = `${u.hostname.replace(/^\[|\]$/g, '')}:${Number(u.port) || (u.protocol === 'https:' ? 443 : 80)}`;
        if (!netWhere.has(key)) netWhere.set(key, where);
      } catch {
        // the client reports the bad URL
      }
      return options.http.request(spec);
    },
    'http.read': (h: number) => options.http.read(h),
    'http.abort': (h: number) => options.http.abort(h),
    'net.connect'(host: string, port: number, path?: string) {
      const target = path ? String(path) : `${host}:${port}`;
      note('net.connect', target, false, 'raw socket (only HTTP(S) through the proxy is possible)');
      throw Object.assign(new Error(`connect ECONNREFUSED ${target}`), { code: 'ECONNREFUSED', errno: -111, syscall: 'connect' });
    },
    dns(host: string) {
      note('net.dns', String(host), false, 'DNS lookup (the sandbox has no resolver)');
      throw Object.assign(new Error(`getaddrinfo EAI_AGAIN ${host}`), { code: 'EAI_AGAIN', syscall: 'getaddrinfo', hostname: host });
    },
  };

  return {
    events,
    netWhere,
    note,
    async handle(op, args, callWhere) {
      where = String(callWhere ?? '');
      const fn = Object.prototype.hasOwnProperty.call(ops, op) ? ops[op] : undefined;
      if (!fn) return { ok: false, error: { message: `${op} is not available in safe-install's isolate tier`, code: 'ERR_METHOD_NOT_IMPLEMENTED' } };
      try {
        return { ok: true, value: await fn(...(Array.isArray(args) ? args : [])) };
      } catch (error) {
        return { ok: false, error: toBrokerError(error) };
      }
    },
    async close() {
      options.fs.close();
      options.http.close();
      await options.processes.close();
    },
  };

  function label(spec: SpawnSpec): string {
    return (spec.shell ? `sh -c ${[spec.file, ...spec.args].join(' ')}` : [spec.file, ...spec.args].join(' ')).slice(0, 300);
  }
}

function notFound(request: string, from: string | null): Error {
  return Object.assign(new Error(`Cannot find module '${request}'${from ? `\nRequire stack:\n- ${from}` : ''}`), { code: 'MODULE_NOT_FOUND' });
}

// Copy an error's Node fields, never its host stack.
export function toBrokerError(error: unknown): BrokerError {
  if (!error || typeof error !== 'object') return { message: String(error) };
  const e = error as Record<string, unknown>;
  const out: Record<string, unknown> = { message: String(e.message ?? error) };
  for (const key of ['code', 'errno', 'syscall', 'path', 'dest']) if (typeof e[key] === 'string' || typeof e[key] === 'number') out[key] = e[key];
  return out as unknown as BrokerError;
}
