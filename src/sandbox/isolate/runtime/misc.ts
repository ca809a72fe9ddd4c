// Small built-ins inside the isolate: assert, url, os, timers, stream, zlib, crypto, perf_hooks.
// IMPORTANT: each factory is evaluated inside the isolate from its source text; it may only use
// its `rt` argument and the isolate's own globals.
/* eslint-disable */
// @ts-nocheck

// Build `assert` (the strict comparisons install scripts use).
export function assertModule(rt: any): any {
  const util = rt.builtin('util');
  class AssertionError extends Error {
    code = 'ERR_ASSERTION'; actual: any; expected: any; operator: string; generatedMessage: boolean;
    constructor(options: any) {
      super(options.message ?? `${util.inspect(options.actual)} ${options.operator} ${util.inspect(options.expected)}`);
      this.name = 'AssertionError';
      this.actual = options.actual;
      this.expected = options.expected;
      this.operator = options.operator;
      this.generatedMessage = options.message === undefined;
    }
  }
  function deepEqual(a: any, b: any, strict: boolean, seen = new Map()): boolean {
    if (strict ? Object.is(a, b) : a == b) return true;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
    if (strict && Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
    if (seen.get(a) === b) return true;
    seen.set(a, b);
    if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
    if (a instanceof RegExp && b instanceof RegExp) return String(a) === String(b);
    if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) {
      if (a.byteLength !== b.byteLength) return false;
      const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength), y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
      return true;
    }
    if (a instanceof Map && b instanceof Map) {
      if (a.size !== b.size) return false;
      for (const [k, v] of a) if (!b.has(k) || !deepEqual(v, b.get(k), strict, seen)) return false;
      return true;
    }
    if (a instanceof Set && b instanceof Set) {
      if (a.size !== b.size) return false;
      for (const v of a) if (!b.has(v)) return false;
      return true;
    }
    const ka = Object.keys(a), kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    for (const k of ka) if (!Object.prototype.hasOwnProperty.call(b, k) || !deepEqual(a[k], b[k], strict, seen)) return false;
    return true;
  }
  const fail = (actual: any, expected: any, message: any, operator: string) => {
    if (message instanceof Error) throw message;
    throw new AssertionError({ actual, expected, message, operator });
  };
  function matches(error: any, expected: any): boolean {
    if (expected === undefined) return true;
    if (typeof expected === 'function') {
      if (expected.prototype !== undefined && error instanceof expected) return true;
      if (Error.isPrototypeOf(expected)) return false;
      return expected.call({}, error) === true;
    }
    if (expected instanceof RegExp) return expected.test(String(error?.message ?? error));
    if (typeof expected === 'object') return Object.keys(expected).every((k) => (expected[k] instanceof RegExp ? expected[k].test(error?.[k]) : deepEqual(error?.[k], expected[k], true)));
    return false;
  }
  const assert: any = (value: any, message?: any) => { if (!value) fail(value, true, message, '=='); };
  Object.assign(assert, {
    AssertionError,
    ok: (value: any, message?: any) => { if (!value) fail(value, true, message, '=='); },
    equal: (a: any, b: any, m?: any) => { if (!(a == b || (a !== a && b !== b))) fail(a, b, m, '=='); },
    notEqual: (a: any, b: any, m?: any) => { if (a == b) fail(a, b, m, '!='); },
    strictEqual: (a: any, b: any, m?: any) => { if (!Object.is(a, b)) fail(a, b, m, 'strictEqual'); },
    notStrictEqual: (a: any, b: any, m?: any) => { if (Object.is(a, b)) fail(a, b, m, 'notStrictEqual'); },
    deepEqual: (a: any, b: any, m?: any) => { if (!deepEqual(a, b, false)) fail(a, b, m, 'deepEqual'); },
    deepStrictEqual: (a: any, b: any, m?: any) => { if (!deepEqual(a, b, true)) fail(a, b, m, 'deepStrictEqual'); },
    notDeepEqual: (a: any, b: any, m?: any) => { if (deepEqual(a, b, false)) fail(a, b, m, 'notDeepEqual'); },
    notDeepStrictEqual: (a: any, b: any, m?: any) => { if (deepEqual(a, b, true)) fail(a, b, m, 'notDeepStrictEqual'); },
    fail: (m?: any) => fail(undefined, undefined, m ?? 'Failed', 'fail'),
    match: (s: string, re: RegExp, m?: any) => { if (!re.test(s)) fail(s, re, m, 'match'); },
    doesNotMatch: (s: string, re: RegExp, m?: any) => { if (re.test(s)) fail(s, re, m, 'doesNotMatch'); },
    ifError: (v: any) => { if (v !== null && v !== undefined) throw v; },
    throws: (fn: any, expected?: any, m?: any) => {
      try { fn(); } catch (e) { if (!matches(e, expected)) throw e; return; }
      fail(undefined, expected, typeof expected === 'string' ? expected : m ?? 'Missing expected exception.', 'throws');
    },
    doesNotThrow: (fn: any) => { fn(); },
    rejects: async (p: any, expected?: any, m?: any) => {
      try { await (typeof p === 'function' ? p() : p); } catch (e) { if (!matches(e, expected)) throw e; return; }
      fail(undefined, expected, m ?? 'Missing expected rejection.', 'rejects');
    },
    doesNotReject: async (p: any) => { await (typeof p === 'function' ? p() : p); },
    __deepEqual: deepEqual,
  });
  assert.strict = Object.assign((v: any, m?: any) => assert.ok(v, m), assert, { equal: assert.strictEqual, deepEqual: assert.deepStrictEqual, notEqual: assert.notStrictEqual, notDeepEqual: assert.notDeepStrictEqual });
  assert.strict.strict = assert.strict;
  return assert;
}

// Build `url`: WHATWG URL (parsed by the worker's own URL, pure computation) and the legacy API.
export function urlModule(rt: any): any {
  const path = rt.builtin('path');
  const qs = rt.builtin('querystring');
  const FIELDS = ['href', 'origin', 'protocol', 'username', 'password', 'host', 'hostname', 'port', 'pathname', 'search', 'hash'];
  const parse = (input: string, base?: string) => rt.callSync('url', String(input), base === undefined ? undefined : String(base));
  class URLSearchParams {
    _list: [string, string][] = [];
    _url: any;
    constructor(init?: any) {
      if (typeof init === 'string') this._parse(init);
      else if (init && typeof init === 'object') {
        const entries = typeof init[Symbol.iterator] === 'function' ? init : Object.entries(init);
        for (const [k, v] of entries) this._list.push([String(k), String(v)]);
      }
    }
    _parse(s: string) {
      this._list = [];
      for (const part of s.replace(/^\?/, '').split('&')) {
        if (!part) continue;
        const i = part.indexOf('=');
        const dec = (x: string) => { try { return decodeURIComponent(x.replace(/\+/g, ' ')); } catch { return x; } };
        this._list.push(i < 0 ? [dec(part), ''] : [dec(part.slice(0, i)), dec(part.slice(i + 1))]);
      }
    }
    _update() { if (this._url) this._url.search = this.toString(); }
    append(k: string, v: string) { this._list.push([String(k), String(v)]); this._update(); }
    delete(k: string) { this._list = this._list.filter(([x]) => x !== k); this._update(); }
    get(k: string) { const e = this._list.find(([x]) => x === k); return e ? e[1] : null; }
    getAll(k: string) { return this._list.filter(([x]) => x === k).map(([, v]) => v); }
    has(k: string) { return this._list.some(([x]) => x === k); }
    set(k: string, v: string) { const i = this._list.findIndex(([x]) => x === k); if (i < 0) this._list.push([k, String(v)]); else { this._list[i][1] = String(v); this._list = this._list.filter(([x], j) => x !== k || j === i); } this._update(); }
    sort() { this._list.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)); this._update(); }
    forEach(fn: any, self?: any) { for (const [k, v] of this._list) fn.call(self, v, k, this); }
    keys() { return this._list.map(([k]) => k)[Symbol.iterator](); }
    values() { return this._list.map(([, v]) => v)[Symbol.iterator](); }
    entries() { return this._list.map(([k, v]) => [k, v])[Symbol.iterator](); }
    [Symbol.iterator]() { return this.entries(); }
    get size() { return this._list.length; }
    toString() { const enc = (x: string) => encodeURIComponent(x).replace(/%20/g, '+'); return this._list.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&'); }
  }
  class URL {
    _p: any; _sp: any;
    constructor(input: any, base?: any) { this._p = parse(String(input), base === undefined ? undefined : String(base)); }
    static canParse(input: any, base?: any) { try { parse(String(input), base === undefined ? undefined : String(base)); return true; } catch { return false; } }
    get searchParams() { if (!this._sp) { this._sp = new URLSearchParams(this._p.search); this._sp._url = this; } return this._sp; }
    toString() { return this._p.href; }
    toJSON() { return this._p.href; }
  }
  for (const field of FIELDS) {
    Object.defineProperty(URL.prototype, field, {
      get() { return this._p[field]; },
      set(value: any) {
        if (field === 'origin') return;
        // Re-parse through a copy: the worker applies the setter exactly as Node's URL does.
        const next = rt.callSync('url.set', this._p.href, field, String(value));
        this._p = next;
        if (this._sp && field === 'search') this._sp._parse(next.search);
      },
      enumerable: true,
    });
  }
  function legacyParse(s: string, parseQuery?: boolean, slashesDenoteHost?: boolean) {
    const out: any = { protocol: null, slashes: null, auth: null, host: null, port: null, hostname: null, hash: null, search: null, query: null, pathname: null, path: null, href: s };
    let rest = String(s).trim();
    const hashAt = rest.indexOf('#');
    if (hashAt >= 0) { out.hash = rest.slice(hashAt); rest = rest.slice(0, hashAt); }
    const qAt = rest.indexOf('?');
    if (qAt >= 0) { out.search = rest.slice(qAt); out.query = rest.slice(qAt + 1); rest = rest.slice(0, qAt); }
    else if (parseQuery) { out.search = ''; out.query = {}; }
    if (parseQuery && typeof out.query === 'string') out.query = qs.parse(out.query);
    const proto = /^([a-z0-9.+-]+:)/i.exec(rest);
    if (proto) { out.protocol = proto[1].toLowerCase(); rest = rest.slice(proto[1].length); }
    if (rest.startsWith('//') && (proto || slashesDenoteHost)) {
      out.slashes = true;
      rest = rest.slice(2);
      const end = rest.search(/[/]/);
      const hostPart = end < 0 ? rest : rest.slice(0, end);
      rest = end < 0 ? '' : rest.slice(end);
      const at = hostPart.lastIndexOf('@');
      if (at >= 0) out.auth = decodeURIComponent(hostPart.slice(0, at));
      out.host = hostPart.slice(at + 1).toLowerCase();
      const pm = /:(\d*)$/.exec(out.host);
      out.hostname = pm ? out.host.slice(0, -pm[0].length) : out.host;
      out.port = pm && pm[1] ? pm[1] : null;
      if (!rest && out.protocol && /^(https?|ftp|gopher|file):$/.test(out.protocol)) rest = '/';
    }
    out.pathname = rest || (out.slashes ? '/' : null);
    out.path = (out.pathname ?? '') + (out.search ?? '') || null;
    out.href = legacyFormat(out);
    return out;
  }
  function legacyFormat(u: any): string {
    if (typeof u === 'string') u = legacyParse(u);
    if (u instanceof URL) return u.href;
    let auth = u.auth ? `${encodeURIComponent(u.auth).replace(/%3A/i, ':')}@` : '';
    let host = u.host ? u.host : u.hostname ? `${u.hostname}${u.port ? `:${u.port}` : ''}` : '';
    const protocol = u.protocol ? (u.protocol.endsWith(':') ? u.protocol : `${u.protocol}:`) : '';
    let search = u.search || (u.query && typeof u.query === 'object' && Object.keys(u.query).length ? `?${qs.stringify(u.query)}` : u.query ? `?${u.query}` : '');
    if (search && !search.startsWith('?')) search = `?${search}`;
    const hash = u.hash ? (u.hash.startsWith('#') ? u.hash : `#${u.hash}`) : '';
    const slashes = u.slashes || /^(https?|ftp|gopher|file):$/.test(protocol) ? '//' : '';
    return `${protocol}${host || slashes ? slashes : ''}${auth}${host}${u.pathname ?? ''}${search}${hash}`;
  }
  function resolve(from: string, to: string) { return new URL(to, new URL(from, 'resolve://').href).href.replace(/^resolve:\/\//, ''); }
  return {
    URL, URLSearchParams,
    parse: legacyParse, format: (u: any) => (u instanceof URL ? u.href : legacyFormat(u)), resolve,
    fileURLToPath: (u: any) => { const x = typeof u === 'string' ? new URL(u) : u; if (x.protocol !== 'file:') throw Object.assign(new TypeError('The URL must be of scheme file'), { code: 'ERR_INVALID_URL_SCHEME' }); return decodeURIComponent(x.pathname); },
    pathToFileURL: (p: string) => new URL(`file://${encodeURI(path.resolve(p)).replace(/[?#]/g, encodeURIComponent)}`),
    domainToASCII: (d: string) => new URL(`http://${d}`).hostname,
    Url: function Url() {},
  };
}

// Build `os`, filtered: nothing that identifies the machine or the user beyond what the sandbox shows.
export function osModule(rt: any): any {
  const o = rt.config.os;
  const env = rt.process.env;
  return {
    EOL: '\n', devNull: '/dev/null',
    platform: () => o.platform, arch: () => o.arch, type: () => 'Linux', release: () => o.release, version: () => '#1 SMP', machine: () => (o.arch === 'x64' ? 'x86_64' : o.arch),
    endianness: () => o.endianness, hostname: () => 'localhost', homedir: () => env.HOME ?? '/', tmpdir: () => (env.TMPDIR ?? '/tmp').replace(/\/$/, '') || '/tmp',
    cpus: () => Array.from({ length: o.cpus }, () => ({ model: 'cpu', speed: 0, times: { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 } })),
    availableParallelism: () => o.cpus,
    totalmem: () => o.totalmem, freemem: () => Math.floor(o.totalmem / 2), loadavg: () => [0, 0, 0], uptime: () => 0,
    networkInterfaces: () => ({ lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }] }),
    userInfo: () => ({ uid: 1000, gid: 1000, username: env.USER ?? 'user', homedir: env.HOME ?? '/', shell: null }),
    getPriority: () => 0, setPriority: () => {},
    constants: { signals: { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 }, errno: {}, priority: {} },
  };
}

// Build `timers` and `timers/promises`.
export function timersModule(rt: any): any {
  const t = rt.timers;
  const promises = {
    setTimeout: (ms?: number, value?: any) => new Promise((resolve) => t.setTimeout(() => resolve(value), ms)),
    setImmediate: (value?: any) => new Promise((resolve) => t.setImmediate(() => resolve(value))),
    setInterval: async function* (ms?: number, value?: any) { for (;;) { await new Promise((r) => t.setTimeout(r, ms)); yield value; } },
    scheduler: { wait: (ms: number) => new Promise((r) => t.setTimeout(r, ms)), yield: () => new Promise((r) => t.setImmediate(r)) },
  };
  return { ...t, promises };
}

// Build `stream` from the readable-stream port, shaped like Node's module.
export function streamModule(rt: any): any {
  const rs = rt.loadInternal('readable-stream', '');
  const Stream: any = function Stream(this: any, opts?: any) { rt.EventEmitter.call(this, opts); };
  Object.setPrototypeOf(Stream.prototype, rt.EventEmitter.prototype);
  Object.setPrototypeOf(Stream, rt.EventEmitter);
  Stream.prototype.pipe = rs.Readable.prototype.pipe;
  const pipeline = rs.pipeline;
  const finished = rs.finished;
  Object.assign(Stream, {
    Stream, Readable: rs.Readable, Writable: rs.Writable, Duplex: rs.Duplex, Transform: rs.Transform, PassThrough: rs.PassThrough,
    pipeline, finished,
    promises: {
      pipeline: (...streams: any[]) => new Promise((resolve, reject) => pipeline(...streams, (e: any) => (e ? reject(e) : resolve(undefined)))),
      finished: (s: any, o?: any) => new Promise((resolve, reject) => finished(s, o ?? {}, (e: any) => (e ? reject(e) : resolve(undefined)))),
    },
  });
  // Readable.from is only in Node's own stream; install scripts use it with arrays and iterables.
  if (!rs.Readable.from) {
    rs.Readable.from = (iterable: any, opts?: any) => {
      const it = iterable[Symbol.asyncIterator] ? iterable[Symbol.asyncIterator]() : iterable[Symbol.iterator]();
      return new rs.Readable({ objectMode: true, ...opts, async read(this: any) { try { const { value, done } = await it.next(); this.push(done ? null : value); } catch (e) { this.destroy(e); } } });
    };
  }
  return Stream;
}

// Build `zlib`: compression runs in the worker (pure computation on copies).
export function zlibModule(rt: any): any {
  const { Buffer, toBytes, toBuffer } = rt;
  const { Transform } = rt.builtin('stream');
  const KINDS = ['gzip', 'gunzip', 'deflate', 'inflate', 'deflateRaw', 'inflateRaw', 'unzip', 'brotliCompress', 'brotliDecompress'];
  const z: any = { constants: { Z_NO_FLUSH: 0, Z_SYNC_FLUSH: 2, Z_FULL_FLUSH: 3, Z_FINISH: 4, Z_BEST_SPEED: 1, Z_BEST_COMPRESSION: 9, Z_DEFAULT_COMPRESSION: -1, BROTLI_PARAM_QUALITY: 1 } };
  Object.assign(z, z.constants);
  const opts = (o: any) => (o && typeof o === 'object' ? { level: o.level, windowBits: o.windowBits, memLevel: o.memLevel, strategy: o.strategy, chunkSize: o.chunkSize, dictionary: o.dictionary ? toBytes(o.dictionary) : undefined } : undefined);
  for (const kind of KINDS) {
    const sync = (input: any, o?: any) => toBuffer(rt.callSync('zlib', kind, toBytes(input), opts(o)));
    z[`${kind}Sync`] = sync;
    z[kind] = (input: any, o: any, cb?: any) => {
      if (typeof o === 'function') { cb = o; o = undefined; }
      rt.callAsync('zlib', kind, toBytes(input), opts(o)).then((v: any) => cb(null, toBuffer(v)), (e: any) => cb(e));
    };
    const cap = kind[0].toUpperCase() + kind.slice(1);
    const create = (o?: any) => {
      const id = rt.callSync('zlib.open', kind, opts(o));
      return new Transform({
        transform(chunk: any, enc: any, done: any) { rt.callAsync('zlib.write', id, toBytes(chunk, enc)).then((v: any) => done(null, v.length ? toBuffer(v) : undefined), done); },
        flush(done: any) { rt.callAsync('zlib.end', id).then((v: any) => done(null, v.length ? toBuffer(v) : undefined), done); },
      });
    };
    z[`create${cap}`] = create;
    z[cap] = function (o?: any) { return create(o); };
  }
  z.crc32 = (data: any, value = 0) => {
    let crc = ~value >>> 0;
    for (const b of Buffer.from(toBytes(data))) { crc ^= b; for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1; }
    return ~crc >>> 0;
  };
  return z;
}

// Build `crypto`: hashes, HMACs and random values (computed in the worker).
export function cryptoModule(rt: any): any {
  const { Buffer, toBytes, toBuffer } = rt;
  let known: string[] | undefined;
  const hashes = () => (known ??= rt.callSync('hashes'));
  class Hash {
    _alg: string; _key: any; _chunks: Uint8Array[] = []; _done = false;
    constructor(alg: string, key?: any) { this._alg = String(alg); this._key = key === undefined ? undefined : toBytes(key); const known = hashes(); if (!known.includes(this._alg.toLowerCase()) && !known.includes(this._alg)) throw new Error('Digest method not supported'); }
    update(data: any, enc?: string) { if (this._done) throw Object.assign(new Error('Digest already called'), { code: 'ERR_CRYPTO_HASH_FINALIZED' }); this._chunks.push(toBytes(data, enc)); return this; }
    digest(enc?: string) {
      this._done = true;
      const out = this._key === undefined ? rt.callSync('hash', this._alg, this._chunks, enc) : rt.callSync('hmac', this._alg, this._key, this._chunks, enc);
      return typeof out === 'string' ? out : toBuffer(out);
    }
    copy() { const h = new Hash(this._alg, this._key); h._chunks = this._chunks.slice(); return h; }
  }
  const randomBytes = (n: number, cb?: any) => {
    const b = toBuffer(rt.callSync('randomBytes', n));
    if (typeof cb === 'function') { rt.queueMicrotask(() => cb(null, b)); return undefined; }
    return b;
  };
  const unsupported = (name: string) => () => { throw new Error(`crypto.${name} is not available in safe-install's isolate tier`); };
  return {
    createHash: (alg: string) => new Hash(alg),
    createHmac: (alg: string, key: any) => new Hash(alg, key),
    getHashes: () => hashes().slice(),
    randomBytes, pseudoRandomBytes: randomBytes,
    randomFillSync: (buf: any) => { const r = toBuffer(rt.callSync('randomBytes', buf.byteLength)); new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength).set(r); return buf; },
    randomUUID: () => rt.callSync('randomUUID'),
    randomInt: (a: number, b?: number) => { const [min, max] = b === undefined ? [0, a] : [a, b]; const r = toBuffer(rt.callSync('randomBytes', 6)).readUIntBE(0, 6); return min + (r % (max - min)); },
    timingSafeEqual: (a: any, b: any) => Buffer.from(toBytes(a)).equals(Buffer.from(toBytes(b))),
    getRandomValues: (arr: any) => { const r = rt.callSync('randomBytes', arr.byteLength); new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength).set(r); return arr; },
    createCipheriv: unsupported('createCipheriv'), createDecipheriv: unsupported('createDecipheriv'), createSign: unsupported('createSign'), createVerify: unsupported('createVerify'),
    webcrypto: { getRandomValues: (arr: any) => { const r = rt.callSync('randomBytes', arr.byteLength); new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength).set(r); return arr; } },
    constants: {},
  };
}

// Build `perf_hooks`.
export function perfHooksModule(rt: any): any {
  const t0 = rt.callSync('clock');
  return { performance: { now: () => (rt.callSync('clock') - t0) / 1e6, timeOrigin: Date.now(), mark() {}, measure() {} } };
}

// Build `async_hooks`: one synchronous context is enough for install scripts (no real async tracking).
export function asyncHooksModule(): any {
  class AsyncLocalStorage {
    _store: any;
    _enabled = false;
    getStore() { return this._enabled ? this._store : undefined; }
    run(store: any, fn: any, ...args: any[]) {
      const [prev, was] = [this._store, this._enabled];
      this._store = store; this._enabled = true;
      try { return fn(...args); } finally { this._store = prev; this._enabled = was; }
    }
    enterWith(store: any) { this._store = store; this._enabled = true; }
    exit(fn: any, ...args: any[]) { const was = this._enabled; this._enabled = false; try { return fn(...args); } finally { this._enabled = was; } }
    disable() { this._enabled = false; this._store = undefined; }
  }
  class AsyncResource {
    type: string;
    constructor(type: string) { this.type = type; }
    runInAsyncScope(fn: any, self?: any, ...args: any[]) { return fn.apply(self, args); }
    bind(fn: any) { return fn.bind(this); }
    static bind(fn: any) { return fn; }
    emitDestroy() { return this; }
    asyncId() { return 1; }
    triggerAsyncId() { return 0; }
  }
  return {
    AsyncLocalStorage, AsyncResource,
    createHook: () => ({ enable() { return this; }, disable() { return this; } }),
    executionAsyncId: () => 1, triggerAsyncId: () => 0, executionAsyncResource: () => ({}),
  };
}
