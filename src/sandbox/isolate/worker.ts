// The isolate worker: a long-lived `node --no-node-snapshot` process, itself confined by the
// controller (bwrap, no network, scrubbed env), that runs each script in a fresh isolated-vm isolate.
// Calls that need a capability (files, processes, network, prompts) go to the controller, which
// brokers them under the script's grant; pure computation (hashes, zlib, URL parsing) stays here.
import { createRequire } from 'node:module';
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join, relative, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrokerError, HostMessage, IsolateRunSpec, WorkerMessage } from './protocol.js';
import { runtimeSource } from './runtime/index.js';
import { dropScope, runLocalOp, runZlibStream } from './local-ops.js';
import { createEsmLoader, fromIsolate as errorFromIsolate, type EsmLoader } from './esm-loader.js';
import { rewriteImports } from './lex-imports.js';

const require = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Ivm = any;
const ivm: Ivm = require('isolated-vm');

/** The safe-install package root: bundled ports are only ever served from inside it. */
const PACKAGE_ROOT = realpathSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..'));
const RUNTIME = runtimeSource();

function send(message: WorkerMessage): void {
  process.send?.(message);
}

interface Running {
  spec: IsolateRunSpec;
  isolate: Ivm;
  calls: Map<number, (reply: { ok: boolean; value?: unknown; error?: BrokerError }) => void>;
  sleeps: Map<number, NodeJS.Timeout>;
  done: boolean;
  timer?: NodeJS.Timeout;
  esm?: EsmLoader;
  deadline: number;
  unhandled?: Ivm;
  probe?: Ivm;
  /** Probes run one after another; a new one is queued only when none is waiting to start. */
  probes?: Promise<void>;
  probeQueued?: boolean;
}

const running = new Map<number, Running>();
let nextCall = 1;

process.on('message', (message: HostMessage) => {
  if (message.t === 'run') void start(message.spec);
  else if (message.t === 'reply') {
    const run = running.get(message.id);
    const resolve = run?.calls.get(message.call);
    if (run && resolve) {
      run.calls.delete(message.call);
      resolve(message);
    }
  } else if (message.t === 'cancel') {
    const run = running.get(message.id);
    if (run) end(run, 130, false, message.reason);
  }
});
// The controller went away: nothing may keep running unsupervised.
process.on('disconnect', () => process.exit(0));

// An isolate made ready before a script needs it: context, bridge and the runtime compiled and run up
// to the point where it waits for the script's configuration. No script code has ever run in it, so
// each script still gets a fresh isolate; the next one is prepared while the current script runs.
interface Prepared {
  isolate: Ivm;
  context: Ivm;
  /** The script the bridge serves, set when the isolate is taken. */
  slot: { run?: Running };
  /** The runtime's start function (takes the script's configuration). */
  begin: Ivm;
  /** The runtime's handler of an unhandled rejection, and a no-op whose call reveals one (see `probe`). */
  unhandled: Ivm;
  probe: Ivm;
  memoryMb: number;
}
let spare: Promise<Prepared> | undefined;

async function prepare(memoryMb: number): Promise<Prepared> {
  const slot: { run?: Running } = {};
  const isolate = new ivm.Isolate({ memoryLimit: memoryMb, onCatastrophicError: (message: string) => process.stderr.write(`isolate: ${message}\n`) });
  const context = await isolate.createContext();
  const jail = context.global;
  const notStarted = { ok: false, error: { message: 'script not started' } };
  await jail.set('__si_call', new ivm.Reference((op: string, args: unknown[], where: string) => (slot.run ? brokered(slot.run, op, args, where) : Promise.resolve(notStarted)).then((r) => new ivm.ExternalCopy(r).copyInto({ release: true }))));
  await jail.set('__si_async', new ivm.Reference((op: string, args: unknown[], where: string) => {
    if (!slot.run) return Promise.resolve(notStarted);
    const run = slot.run;
    // The isolate runs the callbacks of this answer in a task of its own: look for an unhandled rejection after it.
    return brokered(run, op, args, where).finally(() => setImmediate(() => probe(run)));
  }));
  await jail.set('__si_emit', new ivm.Reference((kind: string, a: unknown, b: unknown, c: unknown) => slot.run && fromIsolate(slot.run, kind, a, b, c)));
  await jail.set('__si_internal', new ivm.Reference((request: string, from: string) => internalSource(request, from)));
  await jail.set('__si_ns', new ivm.Reference((id: number) => slot.run?.esm?.namespace(id)));
  const script = await isolate.compileScript(RUNTIME, { filename: 'safe-install:runtime' });
  await script.run(context);
  const begin = await jail.get('__si_start', { reference: true });
  const unhandled = await jail.get('__si_unhandled', { reference: true });
  const probeRef = await jail.get('__si_probe', { reference: true });
  for (const name of ['__si_start', '__si_unhandled', '__si_probe']) await jail.delete(name);
  return { isolate, context, slot, begin, unhandled, probe: probeRef, memoryMb };
}

// Take the prepared isolate (or make one), and prepare the next in the background.
async function takeIsolate(memoryMb: number): Promise<Prepared> {
  // Claim the spare before any await: two scripts starting together must never share one isolate.
  const claimed = spare;
  spare = undefined;
  let ready = claimed ? await claimed.catch(() => undefined) : undefined;
  if (ready && (ready.memoryMb !== memoryMb || ready.isolate.isDisposed)) {
    if (!ready.isolate.isDisposed) ready.isolate.dispose();
    ready = undefined;
  }
  const taken = ready ?? (await prepare(memoryMb));
  setImmediate(() => {
    spare ??= prepare(memoryMb);
    spare.catch(() => (spare = undefined));
  });
  return taken;
}

// Start one script in a fresh isolate and context.
async function start(spec: IsolateRunSpec): Promise<void> {
  const run: Running = { spec, isolate: undefined, calls: new Map(), sleeps: new Map(), done: false, deadline: Date.now() + spec.timeoutMs };
  running.set(spec.id, run);
  run.timer = setTimeout(() => end(run, 124, true, `killed after the ${Math.round(spec.timeoutMs / 1000)} s time limit`), spec.timeoutMs);
  try {
    const { isolate, context, slot, begin, unhandled, probe: probeRef } = await takeIsolate(spec.memoryMb);
    run.isolate = isolate;
    run.unhandled = unhandled;
    run.probe = probeRef;
    // Single use: a prepared isolate serves exactly one script.
    if (slot.run) throw new Error('a prepared isolate was handed out twice');
    if (run.done) {
      isolate.dispose();
      return;
    }
    run.esm = createEsmLoader({ isolate, context, call: (op, args, where) => forward(run, op, args, where), remainingMs: () => run.deadline - Date.now() });
    slot.run = run;
    // `node -e` code may use import() too: it resolves from the cwd, as Node's [eval] does.
    const entry = spec.entry.kind === 'eval' ? { ...spec.entry, code: rewriteImports(spec.entry.code, join(spec.cwd, '[eval]'), 'cjs') } : spec.entry;
    const config = { entry, argv: spec.argv, env: spec.env, hiddenEnv: spec.hiddenEnv, cwd: spec.cwd, execPath: spec.execPath, os: spec.os };
    await begin.apply(undefined, [new ivm.ExternalCopy(config).copyInto({ release: true })], { timeout: Math.max(1, run.deadline - Date.now()) });
  } catch (error) {
    if (run.done) return;
    const message = String((error as Error)?.message ?? error);
    // An unhandled rejection of the script's top-level code surfaces here (isolated-vm throws it from
    // the call): the runtime handles it as Node does, as for one found later by a probe.
    if (run.unhandled && !run.isolate?.isDisposed && !/memory limit|timed out|disposed/i.test(message)) {
      await run.unhandled.apply(undefined, [new ivm.ExternalCopy(errorFromIsolate(error)).copyInto({ release: true })]).catch(() => undefined);
      if (run.done) return;
      // 'unhandledRejection' listeners took it: the script goes on.
      if (!run.isolate?.isDisposed) return;
    }
    const memory = /memory limit/i.test(message) || Boolean(run.isolate?.isDisposed);
    const reason = memory ? `stopped: the isolate reached its ${spec.memoryMb} MiB memory limit` : /timed out/i.test(message) ? `killed after the ${Math.round(spec.timeoutMs / 1000)} s time limit` : `isolate error: ${message}`;
    send({ t: 'output', id: spec.id, stream: 'stderr', data: `safe-install: ${reason}\n` });
    end(run, /timed out/i.test(message) ? 124 : 1, /timed out/i.test(message), reason);
  }
}

// isolated-vm keeps V8's unhandled rejections and throws the first one from the next call the host makes
// into the isolate: a no-op call after each callback task reveals them, and the runtime handles them as
// Node does ('unhandledRejection' listeners, else an uncaught error: exit 1).
function probe(run: Running): Promise<void> {
  if (run.done || !run.probe) return Promise.resolve();
  if (!run.probeQueued) {
    run.probeQueued = true;
    run.probes = (run.probes ?? Promise.resolve()).then(async () => {
      run.probeQueued = false;
      if (run.done) return;
      try {
        await run.probe!.apply(undefined, []);
      } catch (reason) {
        if (run.done || run.isolate?.isDisposed) return;
        await run.unhandled?.apply(undefined, [new ivm.ExternalCopy(errorFromIsolate(reason)).copyInto({ release: true })]).catch(() => undefined);
      }
    });
  }
  return run.probes!;
}

// Stop a script: dispose its isolate, cancel its timers, tell the controller how it ended.
function end(run: Running, code: number, timedOut: boolean, reason?: string): void {
  if (run.done) return;
  run.done = true;
  clearTimeout(run.timer);
  for (const timer of run.sleeps.values()) clearTimeout(timer);
  running.delete(run.spec.id);
  dropScope(run.spec.id);
  try {
    if (run.isolate && !run.isolate.isDisposed) run.isolate.dispose();
  } catch {
    // already gone
  }
  for (const resolve of run.calls.values()) resolve({ ok: false, error: { message: 'script ended' } });
  send({ t: 'exit', id: run.spec.id, code, timedOut, reason });
}

// Messages the isolate sends without waiting: output, the exit code, notes.
function fromIsolate(run: Running, kind: string, a: unknown, b: unknown, c: unknown): void {
  if (run.done) return;
  if (kind === 'out') send({ t: 'output', id: run.spec.id, stream: a === 'stderr' ? 'stderr' : 'stdout', data: String(b) });
  else if (kind === 'exit') end(run, Number(a) | 0, false);
  else if (kind === 'note' && a === 'env.read') send({ t: 'note', id: run.spec.id, kind: 'env.read', target: String(b), where: String(c) });
}

// Answer one call from the isolate: locally when it needs no capability, else through the controller.
async function brokered(run: Running, op: string, args: unknown[], where: string): Promise<{ ok: boolean; value?: unknown; error?: BrokerError }> {
  if (run.done) return { ok: false, error: { message: 'script ended' } };
  switch (op) {
    case 'tick':
      // The end-of-loop check: any unhandled rejection is dealt with before the script may end.
      return new Promise((resolve) => setImmediate(() => void probe(run).then(() => resolve({ ok: true }))));
    case 'sleep':
      return new Promise((resolve) => {
        const [id, ms] = args as [number, number];
        run.sleeps.set(id, setTimeout(() => { run.sleeps.delete(id); resolve({ ok: true }); }, Math.min(Number(ms) || 0, 2 ** 31 - 1)));
      });
    case 'unsleep':
      clearTimeout(run.sleeps.get(args[0] as number));
      run.sleeps.delete(args[0] as number);
      return { ok: true };
    case 'halt':
      return new Promise(() => undefined); // never answered: the isolate is disposed by `exit`
    case 'clock':
      return { ok: true, value: Number(process.hrtime.bigint() - startedAt) };
  }
  if (op === 'zlib.write' || op === 'zlib.end') return runZlibStream(op, args, run.spec.id);
  if (op === 'esm.import') return run.esm!.importFrom(String(args[0]), args[1] == null ? null : String(args[1]), where);
  const local = runLocalOp(op, args, run.spec.id);
  if (local) return local;
  const reply = await forward(run, op, args, where);
  // CommonJS that uses import(): the isolate's loader serves it (isolated-vm has no dynamic import).
  const found = reply.value as { format?: string; filename?: string; source?: string } | undefined;
  if (op === 'load' && reply.ok && found?.format === 'js' && typeof found.source === 'string') found.source = rewriteImports(found.source, String(found.filename), 'cjs');
  return reply;
}

// Send a call to the controller and wait for its answer.
function forward(run: Running, op: string, args: unknown[], where: string): Promise<{ ok: boolean; value?: unknown; error?: BrokerError }> {
  if (run.done) return Promise.resolve({ ok: false, error: { message: 'script ended' } });
  const call = nextCall++;
  return new Promise((resolve) => {
    run.calls.set(call, resolve);
    send({ t: 'call', id: run.spec.id, call, op, args, where });
  });
}
const startedAt = process.hrtime.bigint();

// Source of a bundled browser port of a Node built-in, resolved as Node would with the `browser` field.
// safe-install's own files: read once per worker.
const internalCache = new Map<string, unknown>();
function internalSource(request: string, from: string): unknown {
  const key = `${request}\0${from}`;
  if (!internalCache.has(key)) internalCache.set(key, readInternal(request, from));
  return internalCache.get(key);
}
function readInternal(request: string, from: string): unknown {
  const req = createRequire(from || join(PACKAGE_ROOT, 'package.json'));
  let file: string;
  try {
    file = req.resolve(request);
  } catch {
    // A port asking for a Node built-in gets the isolate's own.
    return { builtin: request.replace(/\/$/, '') };
  }
  if (!file.startsWith('/')) return { builtin: file };
  const mapped = applyBrowserField(file);
  if (mapped === false) return { empty: true };
  const rel = relative(PACKAGE_ROOT, mapped);
  if (rel.startsWith('..') || isAbsolute(rel)) throw new Error('refusing to load a file outside safe-install');
  return { id: mapped, source: readFileSync(mapped, 'utf8'), json: mapped.endsWith('.json') };
}

// Apply a package's `browser` field to a resolved file (readable-stream maps its Node-only files).
function applyBrowserField(file: string): string | false {
  let dir = dirname(file);
  while (dir !== PACKAGE_ROOT && dir !== '/') {
    let manifest: { browser?: string | Record<string, string | false> } | undefined;
    try {
      manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    } catch {
      dir = dirname(dir);
      continue;
    }
    const browser = manifest?.browser;
    if (browser && typeof browser === 'object') {
      const rel = `./${relative(dir, file)}`;
      for (const key of [rel, rel.replace(/\.js$/, '')]) if (key in browser) return browser[key] === false ? false : join(dir, browser[key] as string);
    }
    return file;
  }
  return file;
}

send({ t: 'ready', versions: { node: process.versions.node, ivm: String(require('isolated-vm/package.json').version) } });
