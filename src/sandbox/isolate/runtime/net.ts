// `child_process`, `http`, `https`, `net`, `tls`, `dns` and `fetch` inside the isolate. Processes run
// in the process tier (bubblewrap) under the same grant; HTTP goes through the script's network proxy,
// which applies the grant and asks; raw sockets and DNS are refused, as in the sandbox.
// IMPORTANT: evaluated inside the isolate from its source text; uses only `rt` and the isolate's globals.
/* eslint-disable */
// @ts-nocheck

// Build `child_process`.
export function childProcessModule(rt: any): any {
  const { Buffer, toBytes, toBuffer } = rt;
  const { Readable, Writable } = rt.builtin('stream');

  function normalize(file: any, args: any, options: any, shellDefault: boolean) {
    if (!Array.isArray(args)) { options = args; args = []; }
    const o = options ?? {};
    const env = o.env && typeof o.env === 'object' ? Object.fromEntries(Object.entries(o.env).filter(([, v]) => v !== undefined).map(([k, v]) => [String(k), String(v)])) : undefined;
    const shell = o.shell === undefined ? shellDefault : !!o.shell;
    return {
      file: String(file), args: args.map(String), shell,
      cwd: o.cwd === undefined ? rt.process.cwd() : rt.builtin('path').resolve(rt.process.cwd(), String(o.cwd)),
      env, timeout: Number(o.timeout) || 0, maxBuffer: Number(o.maxBuffer) || 64 * 1024 * 1024,
      input: o.input === undefined ? undefined : toBytes(o.input), killSignal: o.killSignal,
      stdio: stdioOf(o.stdio), encoding: o.encoding,
    };
  }
  function stdioOf(stdio: any): string[] {
    const s = typeof stdio === 'string' ? [stdio, stdio, stdio] : Array.isArray(stdio) ? stdio : ['pipe', 'pipe', 'pipe'];
    return [0, 1, 2].map((i) => (s[i] === 'inherit' || s[i] === i ? 'inherit' : s[i] === 'ignore' ? 'ignore' : 'pipe'));
  }
  const out = (bytes: any, encoding: any) => { const b = toBuffer(bytes); return encoding && encoding !== 'buffer' ? b.toString(encoding) : b; };

  function spawnSync(file: any, args?: any, options?: any) {
    const spec = normalize(file, args, options, false);
    const r = rt.callSync('spawnSync', spec);
    if (spec.stdio[1] === 'inherit' && r.stdout.length) rt.process.stdout.write(toBuffer(r.stdout));
    if (spec.stdio[2] === 'inherit' && r.stderr.length) rt.process.stderr.write(toBuffer(r.stderr));
    const result: any = { pid: 0, status: r.status, signal: r.signal, stdout: out(r.stdout, spec.encoding), stderr: out(r.stderr, spec.encoding) };
    result.output = [null, result.stdout, result.stderr];
    if (r.error) result.error = rt.makeError(r.error);
    return result;
  }
  function checkSync(r: any, what: string) {
    if (r.error) throw r.error;
    if (r.status !== 0) {
      const error: any = new Error(`Command failed: ${what}${r.stderr && r.stderr.length ? `\n${r.stderr}` : ''}`);
      Object.assign(error, { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, output: r.output, pid: 0 });
      throw error;
    }
    return r.stdout;
  }
  function execSync(command: any, options?: any) {
    const o = { ...options, shell: true, stdio: options?.stdio ?? ['pipe', 'pipe', 'inherit'] };
    return checkSync(spawnSync(String(command), [], o), String(command));
  }
  function execFileSync(file: any, args?: any, options?: any) {
    if (!Array.isArray(args)) { options = args; args = []; }
    const o = { ...options, stdio: options?.stdio ?? ['pipe', 'pipe', 'inherit'] };
    return checkSync(spawnSync(file, args, o), [file, ...args].join(' '));
  }

  class ChildProcess extends rt.EventEmitter {
    constructor(spec: any) {
      super();
      this.pid = undefined; this.exitCode = null; this.signalCode = null; this.killed = false; this.connected = false;
      this._handle = undefined;
      this.stdin = spec.stdio[0] === 'pipe' ? new Writable({
        write: (chunk: any, enc: any, done: any) => this._ready.then((h: number) => rt.callAsync('proc.write', h, toBytes(chunk, enc))).then(() => done(), done),
        final: (done: any) => this._ready.then((h: number) => rt.callAsync('proc.end', h)).then(() => done(), done),
      }) : null;
      this.stdout = spec.stdio[1] === 'pipe' ? new Readable({ read() {} }) : null;
      this.stderr = spec.stdio[2] === 'pipe' ? new Readable({ read() {} }) : null;
      this.stdio = [this.stdin, this.stdout, this.stderr];
      this._ready = rt.callAsync('spawn', spec);
      this._ready.then((h: number) => { this._handle = h; this.pid = 1000 + h; this.emit('spawn'); this._pump(h, spec); }, (e: any) => { this.emit('error', e); this._close(-2, null); });
    }
    _pump(h: number, spec: any) {
      rt.callAsync('proc.wait', h).then((events: any[]) => {
        let ended = false;
        for (const e of events) {
          if (e.stream === 'stdout') { if (spec.stdio[1] === 'inherit') rt.process.stdout.write(toBuffer(e.data)); else this.stdout?.push(toBuffer(e.data)); }
          else if (e.stream === 'stderr') { if (spec.stdio[2] === 'inherit') rt.process.stderr.write(toBuffer(e.data)); else this.stderr?.push(toBuffer(e.data)); }
          else if (e.exit) { ended = true; this._close(e.code, e.signal); }
        }
        if (!ended) this._pump(h, spec);
      }, (e: any) => { this.emit('error', e); this._close(1, null); });
    }
    _close(code: any, signal: any) {
      this.exitCode = code; this.signalCode = signal;
      this.stdout?.push(null); this.stderr?.push(null);
      rt.guard(() => { this.emit('exit', code, signal); this.emit('close', code, signal); }, undefined, []);
    }
    kill(signal = 'SIGTERM') { this.killed = true; this._ready.then((h: number) => rt.callAsync('proc.kill', h, String(signal))).catch(() => {}); return true; }
    ref() { return this; }
    unref() { return this; }
    send() { throw new Error('child_process IPC is not available in safe-install\'s isolate tier'); }
    disconnect() {}
  }
  function spawn(file: any, args?: any, options?: any) {
    const spec = normalize(file, args, options, false);
    return new ChildProcess(spec);
  }
  function collect(child: any, encoding: any, what: string, cb: any) {
    const outChunks: any[] = [], errChunks: any[] = [];
    child.stdout?.on('data', (d: any) => outChunks.push(d));
    child.stderr?.on('data', (d: any) => errChunks.push(d));
    let failed: any;
    child.on('error', (e: any) => { failed = e; });
    child.on('close', (code: any, signal: any) => {
      const stdout = out(Buffer.concat(outChunks), encoding ?? 'utf8');
      const stderr = out(Buffer.concat(errChunks), encoding ?? 'utf8');
      if (!cb) return;
      if (failed) return cb(failed, stdout, stderr);
      if (code !== 0) return cb(Object.assign(new Error(`Command failed: ${what}\n${stderr}`), { code, signal, killed: child.killed, cmd: what }), stdout, stderr);
      cb(null, stdout, stderr);
    });
    return child;
  }
  function exec(command: any, options?: any, cb?: any) {
    if (typeof options === 'function') { cb = options; options = {}; }
    return collect(spawn(String(command), [], { ...options, shell: true }), options?.encoding, String(command), cb);
  }
  function execFile(file: any, args?: any, options?: any, cb?: any) {
    if (typeof args === 'function') { cb = args; args = []; options = {}; }
    else if (!Array.isArray(args)) { cb = options; options = args; args = []; }
    if (typeof options === 'function') { cb = options; options = {}; }
    return collect(spawn(file, args, options), options?.encoding, [file, ...args].join(' '), cb);
  }
  function fork(modulePath: any, args?: any, options?: any) {
    if (!Array.isArray(args)) { options = args; args = []; }
    return spawn(rt.process.execPath, [String(modulePath), ...args], { stdio: 'inherit', ...options });
  }
  const promisify = rt.builtin('util').promisify.custom;
  exec[promisify] = (c: any, o?: any) => new Promise((resolve, reject) => exec(c, o, (e: any, stdout: any, stderr: any) => (e ? reject(Object.assign(e, { stdout, stderr })) : resolve({ stdout, stderr }))));
  execFile[promisify] = (f: any, a?: any, o?: any) => new Promise((resolve, reject) => execFile(f, a, o, (e: any, stdout: any, stderr: any) => (e ? reject(Object.assign(e, { stdout, stderr })) : resolve({ stdout, stderr }))));
  return { spawn, spawnSync, exec, execSync, execFile, execFileSync, fork, ChildProcess };
}

// Build `http` or `https`: requests go through the script's proxy on the host.
export function httpModule(rt: any, scheme: 'http' | 'https'): any {
  const { Buffer, toBytes, toBuffer } = rt;
  const { Readable, Writable } = rt.builtin('stream');
  const { URL } = rt.builtin('url');
  class Agent extends rt.EventEmitter {
    constructor(options?: any) { super(); this.options = options ?? {}; this.maxSockets = Infinity; this.sockets = {}; this.requests = {}; }
    destroy() {}
  }
  const globalAgent = new Agent();
  class RequestSocket extends rt.EventEmitter {
    constructor(secure: boolean) {
      super();
      Object.assign(this, { connecting: false, writable: true, readable: true, destroyed: false, remoteAddress: undefined, remotePort: undefined, encrypted: secure || undefined, authorized: secure || undefined });
    }
    setTimeout() { return this; } setNoDelay() { return this; } setKeepAlive() { return this; } ref() { return this; } unref() { return this; }
    destroy() { this.destroyed = true; return this; } end() { return this; } address() { return {}; }
  }
  class IncomingMessage extends Readable {
    constructor(res: any) {
      super();
      this._h = res.handle;
      this.statusCode = res.status; this.statusMessage = res.statusMessage; this.headers = res.headers; this.rawHeaders = res.rawHeaders;
      this.httpVersion = '1.1'; this.httpVersionMajor = 1; this.httpVersionMinor = 1; this.trailers = {}; this.complete = false;
      this.socket = this.connection = { remoteAddress: undefined, destroy() {}, setTimeout() {} };
    }
    _read() {
      rt.callAsync('http.read', this._h).then((chunk: any) => {
        if (chunk === null) { this.complete = true; this.push(null); } else this.push(toBuffer(chunk));
      }, (e: any) => this.destroy(e));
    }
    _destroy(err: any, cb: any) { if (!this.complete) rt.callAsync('http.abort', this._h).catch(() => {}); cb(err); }
    setTimeout() { return this; }
  }
  class ClientRequest extends Writable {
    constructor(options: any, cb?: any) {
      super();
      this._chunks = [];
      this._options = options;
      this._where = rt.where();
      this.method = (options.method ?? 'GET').toUpperCase();
      this.path = options.path ?? '/';
      this.host = options.hostname ?? options.host ?? 'localhost';
      this.protocol = `${options.protocol ?? `${scheme}:`}`;
      this._headers = {};
      for (const [k, v] of Object.entries(options.headers ?? {})) this._headers[k.toLowerCase()] = v;
      this.aborted = false;
      this.reusedSocket = false;
      // The connection is the proxy's: the script sees a socket that is already connected.
      this.socket = this.connection = new RequestSocket(scheme === 'https');
      if (cb) this.once('response', cb);
      rt.queueMicrotask(() => this.emit('socket', this.socket));
    }
    setHeader(k: string, v: any) { this._headers[String(k).toLowerCase()] = v; return this; }
    getHeader(k: string) { return this._headers[String(k).toLowerCase()]; }
    getHeaders() { return { ...this._headers }; }
    removeHeader(k: string) { delete this._headers[String(k).toLowerCase()]; }
    hasHeader(k: string) { return String(k).toLowerCase() in this._headers; }
    setTimeout(ms: number, cb?: any) { this._timeout = ms; if (cb) this.once('timeout', cb); return this; }
    setNoDelay() {} setSocketKeepAlive() {} flushHeaders() {}
    abort() { this.aborted = true; this.destroy(); }
    _write(chunk: any, enc: any, done: any) { this._chunks.push(toBytes(chunk, enc)); done(); }
    _final(done: any) {
      const o = this._options;
      const port = o.port ? `:${o.port}` : '';
      const host = String(this.host).includes(':') && !String(this.host).startsWith('[') ? `[${this.host}]` : this.host;
      const url = `${this.protocol}//${host}${port}${this.path}`;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(this._headers)) headers[k] = Array.isArray(v) ? v.join(', ') : String(v);
      if (o.auth && !headers.authorization) headers.authorization = `Basic ${Buffer.from(String(o.auth)).toString('base64')}`;
      const body = this._chunks.length ? Buffer.concat(this._chunks.map((c: any) => toBuffer(c))) : undefined;
      rt.callAsyncAt(this._where, 'http.request', { url, method: this.method, headers, body: body ? toBytes(body) : undefined, timeout: this._timeout ?? 0 }).then((res: any) => {
        const msg = new IncomingMessage(res);
        msg.req = this;
        this.res = msg;
        if (!this.emit('response', msg)) msg.resume();
        done();
      }, (e: any) => { done(); this.emit('error', e); });
    }
  }
  function request(input: any, options?: any, cb?: any) {
    if (typeof options === 'function') { cb = options; options = {}; }
    let o: any = {};
    if (typeof input === 'string' || input instanceof URL) {
      const u = new URL(String(input));
      o = { protocol: u.protocol, hostname: u.hostname.replace(/^\[|\]$/g, ''), port: u.port, path: `${u.pathname}${u.search}`, auth: u.username ? `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}` : undefined };
      o = { ...o, ...(options ?? {}) };
    } else o = { ...(input ?? {}) };
    if (o.protocol && o.protocol !== `${scheme}:`) throw Object.assign(new TypeError(`Protocol "${o.protocol}" not supported. Expected "${scheme}:"`), { code: 'ERR_INVALID_PROTOCOL' });
    const req = new ClientRequest({ ...o, protocol: `${scheme}:` }, cb);
    return req;
  }
  function get(input: any, options?: any, cb?: any) {
    const req = request(input, options, cb);
    req.end();
    return req;
  }
  const refuse = () => { throw new Error(`${scheme}.createServer is not available in safe-install's isolate tier: install scripts may not listen`); };
  class OutgoingMessage extends Writable {}
  class ServerResponse extends OutgoingMessage {
    constructor() { super(); refuse(); }
  }
  class Server extends rt.EventEmitter {
    constructor() { super(); refuse(); }
  }
  return {
    // Server-side classes exist for `instanceof` checks (got's pipe); creating a server is refused.
    request, get, Agent, globalAgent, ClientRequest, IncomingMessage, OutgoingMessage, ServerResponse, createServer: refuse, Server,
    METHODS: ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'],
    STATUS_CODES: { 200: 'OK', 201: 'Created', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 304: 'Not Modified', 307: 'Temporary Redirect', 308: 'Permanent Redirect', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable' },
  };
}

// Build `net` (and `tls`): raw sockets are refused, each attempt reported with the script's stack.
export function netModule(rt: any): any {
  const { Duplex } = rt.builtin('stream');
  const isIPv4 = (s: string) => /^(\d{1,3}\.){3}\d{1,3}$/.test(String(s));
  const isIPv6 = (s: string) => String(s).includes(':') && /^[0-9a-f:.]+$/i.test(String(s));
  class Socket extends Duplex {
    constructor() { super(); this.connecting = false; this.remoteAddress = undefined; }
    connect(...args: any[]) {
      const o = typeof args[0] === 'object' ? args[0] : { port: args[0], host: typeof args[1] === 'string' ? args[1] : 'localhost' };
      const cb = args.find((a: any) => typeof a === 'function');
      if (cb) this.once('connect', cb);
      this.connecting = true;
      rt.callAsync('net.connect', String(o.host ?? 'localhost'), Number(o.port) || 0, o.path ? String(o.path) : undefined).then(
        () => {},
        (e: any) => { this.connecting = false; this.destroy(e); },
      );
      return this;
    }
    _read() {}
    _write(_c: any, _e: any, done: any) { done(Object.assign(new Error('This socket is closed'), { code: 'EPIPE' })); }
    setTimeout() { return this; } setNoDelay() { return this; } setKeepAlive() { return this; } ref() { return this; } unref() { return this; } address() { return {}; }
  }
  const connect = (...args: any[]) => new Socket().connect(...args);
  const refuse = () => { throw new Error('net.createServer is not available in safe-install\'s isolate tier: install scripts may not listen'); };
  return {
    Socket, Stream: Socket, connect, createConnection: connect, createServer: refuse, Server: refuse,
    isIP: (s: string) => (isIPv4(s) ? 4 : isIPv6(s) ? 6 : 0), isIPv4, isIPv6,
    // tls shares the refusal: TLS to a host goes through https and the proxy.
    TLSSocket: Socket, createSecureContext: () => ({}), checkServerIdentity: () => undefined, DEFAULT_MIN_VERSION: 'TLSv1.2', DEFAULT_MAX_VERSION: 'TLSv1.3', rootCertificates: [],
  };
}

// Build `dns`: no resolver inside the sandbox; every lookup is refused and reported.
export function dnsModule(rt: any): any {
  const fail = (host: any) => rt.callAsync('dns', String(host));
  const cbForm = (host: any, a?: any, b?: any) => { const cb = typeof a === 'function' ? a : b; fail(host).then(() => {}, (e: any) => rt.guard(cb, undefined, [e])); };
  const promises = { lookup: (h: any) => fail(h), resolve: (h: any) => fail(h), resolve4: (h: any) => fail(h), resolve6: (h: any) => fail(h), resolveTxt: (h: any) => fail(h), resolveSrv: (h: any) => fail(h), reverse: (h: any) => fail(h) };
  return { lookup: cbForm, resolve: cbForm, resolve4: cbForm, resolve6: cbForm, resolveTxt: cbForm, resolveSrv: cbForm, reverse: cbForm, promises, setServers() {}, getServers: () => [], ADDRCONFIG: 0, V4MAPPED: 0 };
}

// Install a small `fetch` (text, json, arrayBuffer) on top of `https`/`http`.
export function fetchModule(rt: any): any {
  const { Buffer } = rt;
  class Headers {
    constructor(init?: any) { this._m = new Map(); for (const [k, v] of init instanceof Headers ? init._m : Object.entries(init ?? {})) this._m.set(String(k).toLowerCase(), String(v)); }
    get(k: string) { return this._m.get(String(k).toLowerCase()) ?? null; }
    set(k: string, v: string) { this._m.set(String(k).toLowerCase(), String(v)); }
    has(k: string) { return this._m.has(String(k).toLowerCase()); }
    append(k: string, v: string) { const key = String(k).toLowerCase(); this._m.set(key, this._m.has(key) ? `${this._m.get(key)}, ${v}` : String(v)); }
    delete(k: string) { this._m.delete(String(k).toLowerCase()); }
    forEach(fn: any) { for (const [k, v] of this._m) fn(v, k, this); }
    entries() { return this._m.entries(); } keys() { return this._m.keys(); } values() { return this._m.values(); }
    [Symbol.iterator]() { return this._m.entries(); }
  }
  class Response {
    constructor(body: any, init: any = {}) { this._body = body ?? Buffer.alloc(0); this.status = init.status ?? 200; this.statusText = init.statusText ?? ''; this.headers = new Headers(init.headers); this.ok = this.status >= 200 && this.status < 300; this.url = init.url ?? ''; this.redirected = !!init.redirected; this.bodyUsed = false; }
    async arrayBuffer() { this.bodyUsed = true; const b = this._body; return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength); }
    async text() { this.bodyUsed = true; return this._body.toString('utf8'); }
    async json() { return JSON.parse(await this.text()); }
    async blob() { throw new Error('Response.blob is not available in safe-install\'s isolate tier'); }
    clone() { return new Response(this._body, { status: this.status, statusText: this.statusText, headers: Object.fromEntries(this.headers._m), url: this.url }); }
  }
  async function fetch(input: any, init: any = {}) {
    let url = String(input?.url ?? input);
    const method = String(init.method ?? 'GET').toUpperCase();
    const headers = init.headers instanceof Headers ? Object.fromEntries(init.headers._m) : { ...(init.headers ?? {}) };
    for (let redirects = 0; ; redirects++) {
      const mod = rt.builtin(url.startsWith('https:') ? 'https' : 'http');
      const res: any = await new Promise((resolve, reject) => {
        const req = mod.request(url, { method, headers }, resolve);
        req.on('error', reject);
        if (init.body !== undefined && init.body !== null) req.write(typeof init.body === 'string' ? init.body : Buffer.from(init.body));
        req.end();
      });
      if ([301, 302, 303, 307, 308].includes(res.statusCode) && res.headers.location && init.redirect !== 'manual' && redirects < 20) {
        res.resume();
        url = new (rt.builtin('url').URL)(res.headers.location, url).href;
        continue;
      }
      const chunks: any[] = [];
      for await (const chunk of res) chunks.push(chunk);
      return new Response(Buffer.concat(chunks), { status: res.statusCode, statusText: res.statusMessage, headers: res.headers, url, redirected: redirects > 0 });
    }
  }
  return { fetch, Headers, Response };
}
