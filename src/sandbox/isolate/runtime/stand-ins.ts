// Built-ins the isolate cannot give for real, shaped so that code which only loads them (or checks
// what they offer) takes the path it takes in Node, and code that really needs them gets a clear
// error: worker_threads without `Worker` (hasha, undici), http2 with its constants and no sessions
// (got, undici), inspector without a debugger (playwright), and a working diagnostics_channel.
// IMPORTANT: each factory is evaluated inside the isolate from its source text; it may only use
// its `rt` argument and the isolate's own globals.
/* eslint-disable */
// @ts-nocheck

// `worker_threads` as seen from a main thread that cannot start workers. `Worker` is absent (not a
// throwing class): libraries test for it and fall back to doing the work in the same thread.
export function workerThreadsModule(rt: any): any {
  const unavailable = (what: string) => () => {
    const error: any = new Error(`${what} is not available in safe-install's isolate tier`);
    error.code = 'ERR_WORKER_UNAVAILABLE';
    throw error;
  };
  class MessagePort extends rt.EventEmitter {
    postMessage() { unavailable('MessagePort.postMessage')(); }
    start() {} close() {} ref() {} unref() {}
  }
  class MessageChannel {
    port1 = new MessagePort();
    port2 = new MessagePort();
  }
  class BroadcastChannel extends MessagePort {
    name: string;
    constructor(name: any) { super(); this.name = String(name); }
  }
  const environmentData = new Map();
  return {
    isMainThread: true, parentPort: null, workerData: null, threadId: 0, resourceLimits: {},
    SHARE_ENV: Symbol.for('nodejs.worker_threads.SHARE_ENV'),
    MessagePort, MessageChannel, BroadcastChannel,
    markAsUntransferable() {}, isMarkedAsUntransferable: () => false,
    moveMessagePortToContext: unavailable('moveMessagePortToContext'),
    receiveMessageOnPort: () => undefined,
    getEnvironmentData: (key: any) => environmentData.get(key),
    setEnvironmentData: (key: any, value: any) => { if (value === undefined) environmentData.delete(key); else environmentData.set(key, value); },
  };
}

// `http2`: the constants (read at load time by got's http2-wrapper and undici), no sessions.
export function http2Module(): any {
  const unavailable = (what: string) => () => {
    const error: any = new Error(`http2.${what} is not available in safe-install's isolate tier (HTTP/1.1 through the proxy only)`);
    error.code = 'ERR_HTTP2_UNAVAILABLE';
    throw error;
  };
  const constants: Record<string, any> = {
    NGHTTP2_SESSION_SERVER: 0, NGHTTP2_SESSION_CLIENT: 1, NGHTTP2_NO_ERROR: 0, NGHTTP2_PROTOCOL_ERROR: 1, NGHTTP2_INTERNAL_ERROR: 2,
    NGHTTP2_CANCEL: 8, NGHTTP2_REFUSED_STREAM: 7, DEFAULT_SETTINGS_HEADER_TABLE_SIZE: 4096, DEFAULT_SETTINGS_ENABLE_PUSH: 1,
    DEFAULT_SETTINGS_INITIAL_WINDOW_SIZE: 65535, DEFAULT_SETTINGS_MAX_FRAME_SIZE: 16384, MAX_MAX_FRAME_SIZE: 16777215,
    MIN_MAX_FRAME_SIZE: 16384, MAX_INITIAL_WINDOW_SIZE: 2147483647,
    HTTP2_METHOD_CONNECT: 'CONNECT', HTTP2_METHOD_DELETE: 'DELETE', HTTP2_METHOD_GET: 'GET', HTTP2_METHOD_HEAD: 'HEAD',
    HTTP2_METHOD_OPTIONS: 'OPTIONS', HTTP2_METHOD_PATCH: 'PATCH', HTTP2_METHOD_POST: 'POST', HTTP2_METHOD_PUT: 'PUT',
  };
  for (const header of ['status', 'method', 'authority', 'scheme', 'path', 'protocol', 'accept-encoding', 'accept-language', 'accept', 'age',
    'authorization', 'cache-control', 'connection', 'content-disposition', 'content-encoding', 'content-length', 'content-type', 'cookie', 'date',
    'etag', 'expect', 'expires', 'host', 'if-modified-since', 'if-none-match', 'keep-alive', 'last-modified', 'location', 'proxy-authorization',
    'proxy-connection', 'range', 'referer', 'retry-after', 'server', 'set-cookie', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'user-agent', 'vary']) {
    const pseudo = ['status', 'method', 'authority', 'scheme', 'path', 'protocol'].includes(header);
    constants[`HTTP2_HEADER_${header.toUpperCase().replace(/-/g, '_')}`] = pseudo ? `:${header}` : header;
  }
  for (const [code, name] of [[200, 'OK'], [204, 'NO_CONTENT'], [206, 'PARTIAL_CONTENT'], [301, 'MOVED_PERMANENTLY'], [302, 'FOUND'], [304, 'NOT_MODIFIED'],
    [400, 'BAD_REQUEST'], [401, 'UNAUTHORIZED'], [403, 'FORBIDDEN'], [404, 'NOT_FOUND'], [500, 'INTERNAL_SERVER_ERROR']] as [number, string][]) constants[`HTTP_STATUS_${name}`] = code;
  return {
    constants,
    connect: unavailable('connect'), createServer: unavailable('createServer'), createSecureServer: unavailable('createSecureServer'),
    getDefaultSettings: () => ({ headerTableSize: 4096, enablePush: true, initialWindowSize: 65535, maxFrameSize: 16384 }),
    getPackedSettings: () => new Uint8Array(0), getUnpackedSettings: () => ({}),
    sensitiveHeaders: Symbol('nodejs.http2.sensitiveHeaders'),
    Http2ServerRequest: class Http2ServerRequest {}, Http2ServerResponse: class Http2ServerResponse {},
  };
}

// `inspector` with no debugger attached: `url()` is undefined, as in a Node started without --inspect.
export function inspectorModule(rt: any): any {
  const unavailable = (what: string) => () => {
    const error: any = new Error(`inspector.${what} is not available in safe-install's isolate tier`);
    error.code = 'ERR_INSPECTOR_NOT_AVAILABLE';
    throw error;
  };
  class Session extends rt.EventEmitter {
    connect() { unavailable('Session.connect')(); }
    connectToMainThread() { unavailable('Session.connectToMainThread')(); }
    post() { unavailable('Session.post')(); }
    disconnect() {}
  }
  return { url: () => undefined, open: unavailable('open'), close() {}, waitForDebugger: unavailable('waitForDebugger'), console: rt.builtin('console'), Session };
}

// `diagnostics_channel`: named publish/subscribe channels, all inside the script.
export function diagnosticsChannelModule(): any {
  const channels = new Map<string, any>();
  class Channel {
    name: any; _subscribers: any[] = [];
    constructor(name: any) { this.name = name; }
    get hasSubscribers() { return this._subscribers.length > 0; }
    publish(message: any) { for (const fn of this._subscribers.slice()) fn(message, this.name); }
    subscribe(fn: any) { this._subscribers.push(fn); }
    unsubscribe(fn: any) { const i = this._subscribers.indexOf(fn); if (i < 0) return false; this._subscribers.splice(i, 1); return true; }
    bindStore() {} unbindStore() { return false; }
    runStores(_data: any, fn: any, self?: any, ...args: any[]) { return Reflect.apply(fn, self, args); }
  }
  const channel = (name: any) => {
    let c = channels.get(name);
    if (!c) { c = new Channel(name); channels.set(name, c); }
    return c;
  };
  function tracingChannel(nameOrChannels: any) {
    const names = ['start', 'end', 'asyncStart', 'asyncEnd', 'error'];
    const tc: any = {};
    for (const n of names) tc[n] = typeof nameOrChannels === 'string' ? channel(`tracing:${nameOrChannels}:${n}`) : nameOrChannels[n];
    Object.defineProperty(tc, 'hasSubscribers', { get: () => names.some((n) => tc[n].hasSubscribers) });
    tc.subscribe = (handlers: any) => { for (const n of names) if (handlers[n]) tc[n].subscribe(handlers[n]); };
    tc.unsubscribe = (handlers: any) => { let ok = true; for (const n of names) if (handlers[n]) ok = tc[n].unsubscribe(handlers[n]) && ok; return ok; };
    tc.traceSync = (fn: any, context: any = {}, self?: any, ...args: any[]) => {
      tc.start.publish(context);
      try { const result = Reflect.apply(fn, self, args); context.result = result; return result; } catch (error) { context.error = error; tc.error.publish(context); throw error; } finally { tc.end.publish(context); }
    };
    tc.tracePromise = (fn: any, context: any = {}, self?: any, ...args: any[]) => {
      tc.start.publish(context);
      try {
        return Promise.resolve(Reflect.apply(fn, self, args)).then(
          (result) => { context.result = result; tc.asyncStart.publish(context); tc.asyncEnd.publish(context); return result; },
          (error) => { context.error = error; tc.error.publish(context); tc.asyncStart.publish(context); tc.asyncEnd.publish(context); throw error; });
      } finally { tc.end.publish(context); }
    };
    tc.traceCallback = (fn: any, position: any, context: any, self?: any, ...args: any[]) => Reflect.apply(fn, self, args);
    return tc;
  }
  return {
    channel, tracingChannel, Channel,
    hasSubscribers: (name: any) => channels.get(name)?.hasSubscribers ?? false,
    subscribe: (name: any, fn: any) => channel(name).subscribe(fn),
    unsubscribe: (name: any, fn: any) => channel(name).unsubscribe(fn),
  };
}

// `domain` (deprecated in Node, still loaded by loggers such as roarr): contexts for synchronous
// `run`, `bind` and `intercept`; errors are not routed to a domain's 'error' handler.
export function domainModule(rt: any): any {
  const stack: any[] = [];
  class Domain extends rt.EventEmitter {
    members: any[] = [];
    add(ee: any) { this.members.push(ee); }
    remove(ee: any) { const i = this.members.indexOf(ee); if (i >= 0) this.members.splice(i, 1); }
    enter() { stack.push(this); rt.process.domain = this; }
    exit() { const i = stack.lastIndexOf(this); if (i >= 0) stack.length = i; rt.process.domain = stack[stack.length - 1]; }
    run(fn: any, ...args: any[]) { this.enter(); try { return Reflect.apply(fn, this, args); } finally { this.exit(); } }
    bind(fn: any) { const d = this; return function (this: any, ...args: any[]) { return d.run(() => Reflect.apply(fn, this, args)); }; }
    intercept(fn: any) { const d = this; return function (this: any, error: any, ...args: any[]) { if (error) { d.emit('error', error); return undefined; } return d.run(() => Reflect.apply(fn, this, args)); }; }
    dispose() { this.exit(); }
  }
  return { Domain, create: () => new Domain(), createDomain: () => new Domain(), get active() { return stack[stack.length - 1]; } };
}
