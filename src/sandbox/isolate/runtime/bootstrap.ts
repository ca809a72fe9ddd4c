// The isolate side of the runtime: the bridge to the host, stacks for attribution, the CommonJS
// loader, process, console, timers and the event-loop bookkeeping that decides when a script ends.
// IMPORTANT: this function is turned into source text (Function.prototype.toString) and evaluated
// inside the isolate, so it must not refer to anything outside itself. Everything the script can
// reach is created here, in the isolate: no host object or Reference is ever exposed to it.
/* eslint-disable */
// @ts-nocheck

// Set up the runtime in the isolate's global `g`, before the script is known; the function returned
// applies the script's configuration (argv, environment, cwd) and starts it.
export function bootstrap(g: any, factories: Record<string, (rt: any) => any>): { start(config: any): void; unhandled(reason: any): void } {
  'use strict';
  let config: any;
  const callRef = g.__si_call;
  const asyncRef = g.__si_async;
  const emitRef = g.__si_emit;
  const internalRef = g.__si_internal;
  const nsRef = g.__si_ns;
  delete g.__si_call;
  delete g.__si_async;
  delete g.__si_emit;
  delete g.__si_internal;
  delete g.__si_ns;

  // Keep our own copies of what a script could later replace.
  const ObjectDefineProperty = Object.defineProperty;
  const captureStackTrace = Error.captureStackTrace;
  const ArrayIsArray = Array.isArray;
  const ObjectKeys = Object.keys;
  // The indirect eval that compiles modules: a script replacing globalThis.eval must not see (or change) their sources.
  const indirectEval = eval;
  const hasOwn = (o: any, k: any) => Object.prototype.hasOwnProperty.call(o, k);
  const JSONParse = JSON.parse;
  const StringCtor = String;
  const ReflectApply = Reflect.apply;
  const PromiseCtor = Promise;
  const promiseThen = Promise.prototype.then;
  const COPY = { arguments: { copy: true } };
  const ASYNC = { arguments: { copy: true }, result: { promise: true, copy: true } };

  // --- stacks: attribution of each call to the script's own file:line ------------------------
  const WRAPPER = '(function (exports, require, module, __filename, __dirname) {';
  // A script may set Error.prepareStackTrace for itself; our capture sees the raw frames anyway.
  let capturing = false;
  let userPrepare: any;
  const framesOnly = (_error: any, frames: any) => frames;
  ObjectDefineProperty(Error, 'prepareStackTrace', {
    configurable: false,
    enumerable: false,
    get() { return capturing ? framesOnly : userPrepare; },
    set(value) { userPrepare = value; },
  });
  ObjectDefineProperty(Error, 'stackTraceLimit', { value: 10, writable: true, enumerable: true, configurable: false });

  function where(): string {
    let frames: any;
    const saved = Error.stackTraceLimit;
    capturing = true;
    try {
      try { Error.stackTraceLimit = 40; } catch {}
      const holder: any = {};
      ReflectApply(captureStackTrace, Error, [holder, where]);
      frames = holder.stack;
    } catch {
      frames = undefined;
    } finally {
      capturing = false;
      try { Error.stackTraceLimit = saved; } catch {}
    }
    if (!ArrayIsArray(frames)) return '(no stack)';
    for (const frame of frames) {
      let file: any;
      try { file = frame.getScriptNameOrSourceURL() || frame.getFileName(); } catch { continue; }
      if (typeof file === 'string' && file && !file.startsWith('safe-install:') && !file.startsWith('node:')) {
        const line = frame.getLineNumber();
        // An ES module (named by file: URL): no wrapper on its first line.
        if (file.startsWith('file://')) {
          let path = file;
          try { path = decodeURIComponent(file.slice(7)); } catch {}
          return `${path}:${line}:${frame.getColumnNumber()}`;
        }
        // Columns on line 1 include the module wrapper.
        return `${file}:${line}:${line === 1 ? Math.max(1, frame.getColumnNumber() - WRAPPER.length) : frame.getColumnNumber()}`;
      }
    }
    return '(no stack)';
  }

  // --- the bridge ----------------------------------------------------------------------------
  const ERRORS: Record<string, any> = { SyntaxError, TypeError, RangeError, ReferenceError, EvalError, URIError };
  function makeError(e: any): any {
    const error: any = new (ERRORS[e.name] ?? Error)(e.message);
    if (typeof e.stack === 'string') ObjectDefineProperty(error, 'stack', { value: e.stack, writable: true, configurable: true, enumerable: false });
    for (const key of ['code', 'errno', 'syscall', 'path', 'dest', 'status', 'signal']) if (e[key] !== undefined) error[key] = e[key];
    if (e.stdout) error.stdout = toBuffer(e.stdout);
    if (e.stderr) error.stderr = toBuffer(e.stderr);
    return error;
  }
  // A brokered call that blocks the script until the host answers (fs.readFileSync, execSync, a prompt).
  function callSync(op: string, ...args: any[]): any {
    const r = callRef.applySyncPromise(undefined, [op, args, where()], COPY);
    if (!r.ok) throw makeError(r.error);
    return r.value;
  }
  // A brokered call that returns a promise; it keeps the script alive until it settles.
  function callAsync(op: string, ...args: any[]): Promise<any> {
    return callAsyncAt(where(), op, ...args);
  }
  // The same, attributed to a frame captured earlier (a request sent after the script's own code returned).
  function callAsyncAt(at: string, op: string, ...args: any[]): Promise<any> {
    pending++;
    const p = asyncRef.apply(undefined, [op, args, at], ASYNC);
    return ReflectApply(promiseThen, p, [
      (r: any) => { release(); if (!r.ok) throw makeError(r.error); return r.value; },
      (e: any) => { release(); throw e; },
    ]);
  }
  // A call that is not the script's own (timers, ticks): no stack, no keep-alive.
  function callQuiet(op: string, ...args: any[]): Promise<any> {
    return ReflectApply(promiseThen, asyncRef.apply(undefined, [op, args, ''], ASYNC), [(r: any) => (r.ok ? r.value : undefined)]);
  }
  function emit(kind: string, ...args: any[]): void {
    emitRef.applyIgnored(undefined, [kind, ...args], COPY);
  }
  function internalSource(request: string, from: string): any {
    return internalRef.applySync(undefined, [request, from], { arguments: { copy: true }, result: { copy: true } });
  }

  // --- keep-alive bookkeeping: the script ends when nothing is pending -----------------------
  let pending = 0;
  let mainDone = false;
  let exiting = false;
  let checkQueued = false;
  function hold() { pending++; }
  function release() {
    pending--;
    maybeEnd();
  }
  function maybeEnd() {
    if (pending > 0 || !mainDone || exiting || checkQueued) return;
    checkQueued = true;
    // One host round trip lets every microtask settle first, as Node's loop does.
    ReflectApply(promiseThen, callQuiet('tick'), [() => {
      checkQueued = false;
      if (pending > 0 || exiting) return;
      try { process.emit('beforeExit', process.exitCode ?? 0); } catch (error) { return fatal(error); }
      if (pending > 0) return;
      // Nothing left to run while a module's top-level await is still waiting: Node exits with 13.
      if (awaitingTla.size > 0) {
        emit('out', 'stderr', `Warning: Detected unsettled top-level await in ${[...awaitingTla.keys()][0]}\n`);
        return finish(13);
      }
      finish(process.exitCode ?? 0);
    }]);
  }
  function finish(code: any) {
    if (exiting) return;
    exiting = true;
    const exitCode = (Number(code) | 0) & 0xff;
    try { process.emit('exit', exitCode); } catch {}
    emit('exit', exitCode);
  }
  function fatal(error: any) {
    if (exiting) return;
    try {
      if (process.listenerCount('uncaughtException') > 0) {
        process.emit('uncaughtException', error);
        return;
      }
    } catch (inner) { error = inner; }
    let text: string;
    try {
      text = error && typeof error === 'object' && 'stack' in error ? StringCtor(error.stack) : `Uncaught ${rt.inspect(error)}`;
    } catch {
      text = 'Uncaught exception';
    }
    emit('out', 'stderr', `${text}\n`);
    finish(process.exitCode && process.exitCode !== 0 ? process.exitCode : 1);
  }
  // Run a callback the host handed back (a timer, an I/O completion) with the same crash semantics as Node.
  function guard(fn: any, self: any, args: any[]) {
    if (exiting) return undefined;
    try {
      return ReflectApply(fn, self, args);
    } catch (error) {
      fatal(error);
      return undefined;
    }
  }

  // --- buffers: the `buffer` port, loaded first since everything uses it ----------------------
  const modules = new Map<string, any>();
  const resolveBases = new WeakMap<object, string>(); // module -> path its requires resolve from, when not its filename
  const builtinCache = new Map<string, any>();

  function compile(source: string, filename: string): any {
    // The wrapper stays on the first line so that line numbers match the file.
    return indirectEval(`${WRAPPER}${source}\n})\n//# sourceURL=${filename}`);
  }

  // Load one of safe-install's bundled browser ports (trusted source read by the worker).
  function loadInternal(request: string, from: string): any {
    const found = internalSource(request, from);
    if (found.builtin) return builtin(found.builtin);
    if (found.empty) return {};
    const key = `internal:${found.id}`;
    const cached = modules.get(key);
    if (cached) return cached.exports;
    const module: any = { id: found.id, filename: found.id, exports: {}, loaded: false };
    modules.set(key, module);
    if (found.json) {
      module.exports = JSONParse(found.source);
      return module.exports;
    }
    const fn = compile(found.source, `safe-install:${found.id}`);
    const req = (r: string) => loadInternal(r, found.id);
    fn.call(module.exports, module.exports, req, module, found.id, found.id.replace(/\/[^/]*$/, ''));
    module.loaded = true;
    return module.exports;
  }

  const Buffer = loadInternal('buffer/', '').Buffer;
  function toBuffer(u8: any): any {
    return u8 instanceof Buffer ? u8 : Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
  }
  function toBytes(data: any, encoding?: string): Uint8Array {
    if (typeof data === 'string') data = Buffer.from(data, encoding || 'utf8');
    if (data instanceof Uint8Array) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
    if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
    if (data instanceof ArrayBuffer) return new Uint8Array(data).slice();
    throw new TypeError('The "data" argument must be of type string or an instance of Buffer, TypedArray, or DataView.');
  }

  // --- timers --------------------------------------------------------------------------------
  let nextTimer = 1;
  const timers = new Map<number, any>();
  class Timeout {
    _id: number; _refed = true; _fn: any; _args: any[]; _ms: number; _repeat: boolean; _active = true;
    constructor(fn: any, ms: any, args: any[], repeat: boolean) {
      if (typeof fn !== 'function') throw new TypeError('The "callback" argument must be of type function');
      this._id = nextTimer++;
      this._fn = fn;
      this._args = args;
      this._ms = Math.max(1, Number(ms) || 1);
      this._repeat = repeat;
      timers.set(this._id, this);
      hold();
      this._arm();
    }
    _arm() {
      const id = this._id;
      ReflectApply(promiseThen, callQuiet('sleep', id, this._ms), [() => this._fire()]);
    }
    _fire() {
      if (!this._active) return;
      if (!this._repeat) this._stop();
      guard(this._fn, this, this._args);
      if (this._repeat && this._active) this._arm();
      else if (!this._repeat) maybeEnd();
    }
    _stop() {
      if (!this._active) return;
      this._active = false;
      timers.delete(this._id);
      if (this._refed) { this._refed = false; pending--; }
    }
    ref() { if (this._active && !this._refed) { this._refed = true; pending++; } return this; }
    unref() { if (this._active && this._refed) { this._refed = false; pending--; maybeEnd(); } return this; }
    hasRef() { return this._refed; }
    refresh() { return this; }
    close() { clearTimer(this); return this; }
    [Symbol.toPrimitive]() { return this._id; }
  }
  function clearTimer(t: any) {
    if (t == null) return;
    const timer = t instanceof Timeout ? t : timers.get(Number(t));
    if (!timer) return;
    timer._stop();
    callQuiet('unsleep', timer._id);
    maybeEnd();
  }
  const setTimeout = (fn: any, ms?: any, ...args: any[]) => new Timeout(fn, ms, args, false);
  const setInterval = (fn: any, ms?: any, ...args: any[]) => new Timeout(fn, ms, args, true);
  const setImmediate = (fn: any, ...args: any[]) => new Timeout(fn, 0, args, false);
  const queueMicrotask = (fn: any) => {
    ReflectApply(promiseThen, PromiseCtor.resolve(), [() => guard(fn, undefined, [])]);
  };

  // --- process -------------------------------------------------------------------------------
  const rt: any = {
    config, callSync, callAsync, callAsyncAt, callQuiet, emit, where, hold, release, guard, fatal, Buffer, toBuffer, toBytes,
    builtin: (name: string) => builtin(name),
    loadInternal,
    timers: { setTimeout, setInterval, setImmediate, clearTimeout: clearTimer, clearInterval: clearTimer, clearImmediate: clearTimer, Timeout },
    queueMicrotask,
    makeError,
  };
  const EventEmitter = loadInternal('events/', '');
  rt.EventEmitter = EventEmitter;
  const process: any = new EventEmitter();
  rt.process = process;
  // A plain object as in Node (`process.env.hasOwnProperty(…)` works), every value a string.
  const envTarget: Record<string, string> = {};
  const hiddenEnv = new Set<string>();
  const noted = new Set<string>();
  process.env = new Proxy(envTarget, {
    get(target, name) {
      if (typeof name === 'string' && !hasOwn(target, name) && hiddenEnv.has(name) && !noted.has(name)) {
        noted.add(name);
        emit('note', 'env.read', name, where());
      }
      return target[name as any];
    },
    set(target, name, value) { target[name as any] = StringCtor(value); return true; },
  });
  let cwd = '/';
  const hr = () => callSync('clock');
  Object.assign(process, {
    title: 'node', release: { name: 'node' }, argv0: 'node', execArgv: [], pid: 42, ppid: 1, exitCode: undefined, features: {},
    cwd: () => cwd,
    chdir: (dir: string) => {
      const st = callSync('fs', 'stat', [rt.builtin('path').resolve(cwd, StringCtor(dir))]);
      if (!st.isDirectory) throw makeError({ message: `ENOTDIR: not a directory, chdir '${dir}'`, code: 'ENOTDIR' });
      cwd = rt.builtin('path').resolve(cwd, StringCtor(dir));
    },
    exit: (code?: any) => {
      if (code !== undefined) process.exitCode = code;
      finish(process.exitCode ?? 0);
      // Stop here: the host ends the isolate; nothing after exit() may run.
      callRef.applySyncPromise(undefined, ['halt', [], ''], COPY);
    },
    abort: () => process.exit(134),
    kill: () => { throw makeError({ message: 'kill EPERM', code: 'EPERM', syscall: 'kill' }); },
    nextTick: (fn: any, ...args: any[]) => queueMicrotask(() => ReflectApply(fn, undefined, args)),
    hrtime: Object.assign((prev?: number[]) => {
      const ns = hr();
      const sec = Math.floor(ns / 1e9), nsec = ns % 1e9;
      if (!prev) return [sec, nsec];
      let ds = sec - prev[0], dn = nsec - prev[1];
      if (dn < 0) { ds -= 1; dn += 1e9; }
      return [ds, dn];
    }, { bigint: () => BigInt(Math.floor(hr())) }),
    uptime: () => hr() / 1e9,
    memoryUsage: Object.assign(() => ({ rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 }), { rss: () => 0 }),
    cpuUsage: () => ({ user: 0, system: 0 }),
    resourceUsage: () => ({}),
    umask: () => 0o22,
    getuid: () => 1000, getgid: () => 1000, geteuid: () => 1000, getegid: () => 1000, getgroups: () => [],
    emitWarning: (warning: any) => { emit('out', 'stderr', `(node) Warning: ${typeof warning === 'string' ? warning : warning?.message}\n`); },
    binding: (name: string) => { throw new Error(`No such module: ${StringCtor(name)} (process.binding is not available in safe-install's isolate tier)`); },
    _linkedBinding: () => { throw new Error('process._linkedBinding is not available in safe-install\'s isolate tier'); },
    dlopen: () => { throw new Error('Native addons cannot be loaded in safe-install\'s isolate tier'); },
    stdin: undefined,
  });
  function outStream(name: 'stdout' | 'stderr', fd: number) {
    const s: any = new EventEmitter();
    Object.assign(s, {
      fd, isTTY: false, writable: true, columns: 80, rows: 24,
      write(chunk: any, encoding?: any, cb?: any) {
        if (typeof encoding === 'function') { cb = encoding; encoding = undefined; }
        const text = typeof chunk === 'string' ? chunk : toBuffer(toBytes(chunk)).toString('utf8');
        emit('out', name, text);
        if (typeof cb === 'function') queueMicrotask(cb);
        return true;
      },
      end(chunk?: any, encoding?: any, cb?: any) { if (chunk != null && typeof chunk !== 'function') s.write(chunk, encoding); if (typeof chunk === 'function') chunk(); else if (typeof cb === 'function') cb(); },
      cork() {}, uncork() {}, setDefaultEncoding() { return s; },
      getColorDepth: () => 1, hasColors: () => false, getWindowSize: () => [80, 24],
      _writableState: {},
    });
    return s;
  }
  process.stdout = outStream('stdout', 1);
  process.stderr = outStream('stderr', 2);
  process.stdin = Object.assign(new EventEmitter(), { fd: 0, isTTY: false, readable: true, setEncoding() {}, resume() {}, pause() {}, read: () => null, setRawMode() {}, unref() {}, ref() {} });

  // --- globals -------------------------------------------------------------------------------
  g.global = g;
  g.globalThis = g;
  g.process = process;
  g.Buffer = Buffer;
  g.setTimeout = setTimeout;
  g.setInterval = setInterval;
  g.setImmediate = setImmediate;
  g.clearTimeout = clearTimer;
  g.clearInterval = clearTimer;
  g.clearImmediate = clearTimer;
  g.queueMicrotask = queueMicrotask;
  g.atob = (s: string) => Buffer.from(StringCtor(s), 'base64').toString('latin1');
  g.btoa = (s: string) => Buffer.from(StringCtor(s), 'latin1').toString('base64');

  // --- built-in modules ------------------------------------------------------------------------
  const PORTS: Record<string, string> = {
    buffer: 'buffer/', events: 'events/', path: 'path-browserify', string_decoder: 'string_decoder/', querystring: 'querystring-es3',
  };
  function builtin(request: string): any {
    const name = request.startsWith('node:') ? request.slice(5) : request;
    if (builtinCache.has(name)) return builtinCache.get(name);
    let exports: any;
    if (name === 'buffer') exports = loadInternal('buffer/', '');
    else if (name === 'events') exports = EventEmitter;
    else if (name === 'process') exports = process;
    else if (name === 'module') exports = moduleBuiltin();
    else if (name === 'path/posix') exports = builtin('path');
    else if (name === 'sys') exports = builtin('util');
    else if (name === 'assert/strict') exports = builtin('assert').strict;
    else if (name === 'fs/promises') exports = builtin('fs').promises;
    else if (name === 'stream/promises') exports = builtin('stream').promises;
    else if (name === 'timers/promises') exports = builtin('timers').promises;
    else if (name === 'util/types') exports = builtin('util').types;
    else if (name === 'dns/promises') exports = builtin('dns').promises;
    else if (name === 'stream/web') exports = loadInternal('web-streams-polyfill', '');
    else if (hasOwn(PORTS, name)) exports = loadInternal(PORTS[name], '');
    else if (Object.prototype.hasOwnProperty.call(factories, name) && !name.startsWith('__')) {
      exports = {};
      builtinCache.set(name, exports); // cycles see the partial object, as in Node
      exports = factories[name](rt) ?? exports;
    } else {
      const error: any = new Error(`Cannot find module '${request}': the built-in "${name}" is not available in safe-install's isolate tier`);
      error.code = 'MODULE_NOT_FOUND';
      throw error;
    }
    builtinCache.set(name, exports);
    return exports;
  }
  rt.isBuiltin = (name: string) => {
    const n = name.startsWith('node:') ? name.slice(5) : name;
    return hasOwn(PORTS, n) || (hasOwn(factories, n) && !n.startsWith('__')) || ['module', 'buffer', 'events', 'process', 'path/posix', 'sys', 'assert/strict', 'fs/promises', 'stream/promises', 'timers/promises', 'util/types', 'dns/promises', 'stream/web'].includes(n);
  };
  rt.inspect = (v: any) => builtin('util').inspect(v);
  const text = factories.__text(rt);
  rt.TextEncoder = text.TextEncoder;
  rt.TextDecoder = text.TextDecoder;
  g.TextEncoder = text.TextEncoder;
  g.TextDecoder = text.TextDecoder;
  // Globals that need a module are built on first use, then behave as plain writable properties.
  function lazyGlobal(name: string, make: () => any) {
    ObjectDefineProperty(g, name, {
      configurable: true,
      enumerable: false,
      get() { const value = make(); ObjectDefineProperty(g, name, { value, writable: true, configurable: true, enumerable: false }); return value; },
      set(value) { ObjectDefineProperty(g, name, { value, writable: true, configurable: true, enumerable: false }); },
    });
  }
  lazyGlobal('console', () => builtin('console'));
  lazyGlobal('URL', () => builtin('url').URL);
  lazyGlobal('URLSearchParams', () => builtin('url').URLSearchParams);
  let fetchParts: any;
  const fetchPart = (key: string) => () => (fetchParts ??= factories.__fetch(rt))[key];
  lazyGlobal('fetch', fetchPart('fetch'));
  lazyGlobal('Headers', fetchPart('Headers'));
  lazyGlobal('Response', fetchPart('Response'));
  lazyGlobal('performance', () => builtin('perf_hooks').performance);
  // The web platform globals (events, abort, Blob, structuredClone), built once on first use.
  let web: any;
  const webPart = (key: string) => () => (web ??= factories.__web(rt))[key];
  for (const name of ['DOMException', 'Event', 'CustomEvent', 'EventTarget', 'AbortSignal', 'AbortController', 'Blob', 'File', 'structuredClone']) lazyGlobal(name, webPart(name));
  for (const name of ['Blob', 'File']) ObjectDefineProperty(builtin('buffer'), name, { get: webPart(name), enumerable: true, configurable: true });
  // WHATWG streams (undici and fetch users expect them as globals): the web-streams-polyfill port.
  for (const name of ['ReadableStream', 'ReadableStreamDefaultReader', 'ReadableStreamBYOBReader', 'ReadableStreamDefaultController', 'ReadableByteStreamController',
    'ReadableStreamBYOBRequest', 'WritableStream', 'WritableStreamDefaultWriter', 'WritableStreamDefaultController', 'TransformStream',
    'TransformStreamDefaultController', 'ByteLengthQueuingStrategy', 'CountQueuingStrategy']) lazyGlobal(name, () => builtin('stream/web')[name]);

  // --- CommonJS loader for the script's own files (sources come through the broker) ----------
  function requireFrom(parent: any) {
    const require: any = (request: any) => {
      if (typeof request !== 'string') throw new TypeError('The "id" argument must be of type string');
      if (rt.isBuiltin(request)) return builtin(request);
      return loadUser(request, parent);
    };
    require.resolve = (request: string) => (rt.isBuiltin(request) ? request : callSync('resolve', StringCtor(request), resolveBases.get(parent) ?? parent.filename));
    require.resolve.paths = () => [];
    require.cache = cacheView;
    ObjectDefineProperty(require, 'main', { get: () => mainModule, enumerable: true });
    require.extensions = { '.js': null, '.json': null };
    return require;
  }
  const cacheView: any = new Proxy(Object.create(null), {
    get: (_t, key) => modules.get(StringCtor(key)),
    has: (_t, key) => modules.has(StringCtor(key)),
    deleteProperty: (_t, key) => modules.delete(StringCtor(key)),
    ownKeys: () => [...modules.keys()].filter((k) => !k.startsWith('internal:')),
    getOwnPropertyDescriptor: (_t, key) => (modules.has(StringCtor(key)) ? { value: modules.get(StringCtor(key)), configurable: true, enumerable: true, writable: true } : undefined),
  });
  class Module {
    id: string; filename: string; path: string; exports: any = {}; loaded = false; parent: any; children: any[] = []; paths: string[] = [];
    constructor(filename: string, parent: any) { this.id = filename; this.filename = filename; this.path = filename.replace(/\/[^/]*$/, '') || '/'; this.parent = parent; }
  }
  let mainModule: any;
  Module.prototype.require = function (this: any, id: string) { return requireFrom(this)(id); };
  // `module` is the isolate's own loader (createRequire, builtinModules): it reaches what `require` reaches, no more.
  function moduleBuiltin(): any {
    const M: any = Module;
    const names = ['module', 'buffer', 'events', 'process', 'path', 'string_decoder', 'querystring', ...Object.keys(factories).filter((n) => !n.startsWith('__'))];
    M.Module = M;
    M.builtinModules = names;
    M.isBuiltin = (n: string) => rt.isBuiltin(StringCtor(n));
    M.createRequire = (from: any) => {
      const file = typeof from === 'string' ? from.replace(/^file:\/\//, '') : decodeURIComponent(StringCtor(from?.pathname ?? from));
      return requireFrom(new Module(file.endsWith('/') ? `${file}[createRequire]` : file, null));
    };
    M._cache = cacheView;
    M._extensions = { '.js': () => {}, '.json': () => {}, '.node': () => { throw new Error('Native addons cannot be loaded in safe-install\'s isolate tier'); } };
    M._resolveFilename = (request: string, parent?: any) => requireFrom(parent?.filename ? parent : { filename: `${cwd}/[resolve]` }).resolve(request);
    M._load = (request: string, parent?: any) => requireFrom(parent?.filename ? parent : mainModule ?? { filename: `${cwd}/[load]` })(request);
    M._nodeModulePaths = () => [];
    M.globalPaths = [];
    M.wrap = (source: string) => `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
    M.syncBuiltinESMExports = () => {};
    return M;
  }
  function loadUser(request: string, parent: any): any {
    const found = callSync('load', request, resolveBases.get(parent) ?? parent.filename);
    if (found.builtin) return builtin(found.builtin);
    const cached = modules.get(found.filename);
    if (cached) return cached.exports;
    const module: any = new Module(found.filename, parent);
    modules.set(found.filename, module);
    parent.children?.push(module);
    try {
      runModule(module, found);
    } catch (error) {
      modules.delete(found.filename);
      throw error;
    }
    return module.exports;
  }
  function runModule(module: any, found: any) {
    if (found.format === 'json') {
      try {
        module.exports = JSONParse(found.source);
      } catch (error: any) {
        error.message = `${found.filename}: ${error.message}`;
        throw error;
      }
    } else {
      const source = found.source.startsWith('#!') ? `//${found.source}` : found.source;
      const fn = compile(source, found.filename);
      const require = requireFrom(module);
      ReflectApply(fn, module.exports, [module.exports, require, module, found.filename, module.path]);
    }
    module.loaded = true;
  }

  // --- ES modules: compiled and linked by the worker, which calls back here ---------------------
  // `import()` and `import.meta` in the script's files are rewritten to these (see lex-imports.ts);
  // facades of CommonJS and built-ins call `require` and `builtin`. Nothing here reaches further than
  // `require` and `import` themselves.
  const metas = new Map<string, any>();
  // Modules whose body has run to its end (top-level awaits included), and imports waiting for one.
  const settledFiles = new Set<string>();
  const awaitingTla = new Map<string, (() => void)[]>();
  function whenSettled(file: string): Promise<void> | undefined {
    if (settledFiles.has(file)) return undefined;
    return new PromiseCtor<void>((resolve) => {
      const list = awaitingTla.get(file) ?? [];
      list[list.length] = resolve;
      awaitingTla.set(file, list);
    });
  }
  function importFrom(referrer: any, specifier: any): Promise<any> {
    const at = where();
    return ReflectApply(promiseThen, callAsyncAt(at, 'esm.import', StringCtor(specifier), referrer == null ? null : StringCtor(referrer)), [
      (r: any) => {
        const ns = nsRef.applySync(undefined, [r.id]);
        // Not a keep-alive: a top-level await that never settles ends the script with 13, as in Node.
        const pending = r.esm ? whenSettled(StringCtor(r.file)) : undefined;
        return pending ? ReflectApply(promiseThen, pending, [() => ns]) : ns;
      },
    ]);
  }
  const fileUrl = (path: string) => `file://${encodeURI(path).replace(/[?#]/g, encodeURIComponent)}`;
  const esm = Object.freeze({
    import: (referrer: any, specifier: any) => importFrom(referrer, specifier),
    meta(filename: any) {
      const file = StringCtor(filename);
      let meta = metas.get(file);
      if (!meta) {
        const dir = file.replace(/\/[^/]*$/, '') || '/';
        meta = { url: fileUrl(file), filename: file, dirname: dir, resolve: (specifier: any) => {
          const found = callSync('resolve', StringCtor(specifier), file, 'import');
          return found.startsWith('/') ? fileUrl(found) : `node:${found.replace(/^node:/, '')}`;
        } };
        metas.set(file, meta);
      }
      return meta;
    },
    require: (filename: any) => loadUser(StringCtor(filename), { filename: StringCtor(filename) }),
    settled(filename: any) {
      const file = StringCtor(filename);
      settledFiles.add(file);
      const list = awaitingTla.get(file);
      awaitingTla.delete(file);
      if (list) for (const resolve of list) resolve();
    },
    builtin: (name: any) => builtin(StringCtor(name)),
    keys(name: any) {
      const value = builtin(StringCtor(name));
      if (!value || (typeof value !== 'object' && typeof value !== 'function')) return [];
      const names: string[] = [];
      for (const k of ObjectKeys(value)) if (k !== 'default') names[names.length] = k;
      return names;
    },
  });
  ObjectDefineProperty(g, '__si_esm', { value: esm, writable: false, enumerable: false, configurable: false });

  // Build ahead what nearly every script uses (this runs before the script is known, off its clock).
  for (const name of ['path', 'util', 'fs']) builtin(name);
  void g.console;

  // --- start -----------------------------------------------------------------------------------
  // An unhandled rejection the worker found (isolated-vm keeps V8's list; the worker probes it after
  // each callback the host scheduled): the 'unhandledRejection' listeners, else Node's crash, exit 1.
  function unhandled(reason: any) {
    if (exiting) return;
    const error = reason && typeof reason === 'object' ? makeError(reason) : reason;
    try {
      if (process.listenerCount('unhandledRejection') > 0) {
        process.emit('unhandledRejection', error, undefined);
        return;
      }
    } catch (inner) {
      return fatal(inner);
    }
    fatal(error);
  }
  return { unhandled, start: function start(c: any) {
    config = c;
    rt.config = c;
    Object.assign(envTarget, c.env);
    for (const name of c.hiddenEnv) hiddenEnv.add(name);
    cwd = c.cwd;
    Object.assign(process, {
      version: c.os.version, versions: c.os.versions, arch: c.os.arch, platform: c.os.platform, argv: c.argv.slice(), execPath: c.execPath,
      config: c.os.config ?? { variables: {} },
    });
    const entry = config.entry;
    // An ES module entry (.mjs, or "type": "module"): imported, with the script kept alive until it settles.
    function startModule(file: string) {
      ReflectApply(promiseThen, importFrom(null, file), [() => undefined, (error: any) => fatal(error)]);
    }
    try {
      if (entry.kind === 'eval') {
        mainModule = new Module(`${config.cwd}/[eval]`, null);
        mainModule.id = '[eval]';
        mainModule.filename = '[eval]';
        // `node -e` resolves requires from the cwd, as if the code were a file there.
        resolveBases.set(mainModule, `${config.cwd}/[eval]`);
        const fn = compile(entry.code, '[eval]');
        ReflectApply(fn, g, [mainModule.exports, requireFrom(mainModule), mainModule, '[eval]', '.']);
      } else {
        let found: any;
        try {
          found = callSync('load', entry.file, null);
        } catch (error: any) {
          if (error?.code !== 'ERR_REQUIRE_ESM') throw error;
        }
        if (!found) startModule(entry.file);
        else {
          mainModule = new Module(found.filename, null);
          mainModule.id = '.';
          modules.set(found.filename, mainModule);
          process.mainModule = mainModule;
          runModule(mainModule, found);
        }
      }
    } catch (error) {
      fatal(error);
    }
    mainDone = true;
    maybeEnd();
  } };
}
