// `util`, `console`, `tty` and the text globals (TextEncoder/TextDecoder) inside the isolate.
// IMPORTANT: each factory is evaluated inside the isolate from its source text; it may only use
// its `rt` argument and the isolate's own globals.
/* eslint-disable */
// @ts-nocheck

// Build the `util` module.
export function utilModule(rt: any): any {
  const { Buffer } = rt;
  const types = {
    isPromise: (v: any) => v instanceof Promise,
    isRegExp: (v: any) => v instanceof RegExp,
    isDate: (v: any) => v instanceof Date,
    isNativeError: (v: any) => v instanceof Error,
    isMap: (v: any) => v instanceof Map,
    isSet: (v: any) => v instanceof Set,
    isWeakMap: (v: any) => v instanceof WeakMap,
    isWeakSet: (v: any) => v instanceof WeakSet,
    isTypedArray: (v: any) => ArrayBuffer.isView(v) && !(v instanceof DataView),
    isUint8Array: (v: any) => v instanceof Uint8Array,
    isArrayBuffer: (v: any) => v instanceof ArrayBuffer,
    isAnyArrayBuffer: (v: any) => v instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && v instanceof SharedArrayBuffer),
    isArrayBufferView: (v: any) => ArrayBuffer.isView(v),
    isDataView: (v: any) => v instanceof DataView,
    isAsyncFunction: (v: any) => typeof v === 'function' && v.constructor?.name === 'AsyncFunction',
    isGeneratorFunction: (v: any) => typeof v === 'function' && /GeneratorFunction/.test(v.constructor?.name ?? ''),
    isGeneratorObject: (v: any) => Object.prototype.toString.call(v) === '[object Generator]',
    isBoxedPrimitive: (v: any) => v instanceof Number || v instanceof String || v instanceof Boolean,
    isProxy: () => false,
  };

  function inspect(value: any, opts?: any): string {
    const options = typeof opts === 'object' && opts ? opts : {};
    const maxDepth = options.depth === null ? Infinity : options.depth ?? 2;
    const seen: any[] = [];
    function fmt(v: any, depth: number): string {
      if (v === null) return 'null';
      switch (typeof v) {
        case 'undefined': return 'undefined';
        case 'string': return depth === 0 && options.__top ? v : `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
        case 'number': return Object.is(v, -0) ? '-0' : String(v);
        case 'bigint': return `${v}n`;
        case 'boolean': return String(v);
        case 'symbol': return v.toString();
        case 'function': return `[${types.isAsyncFunction(v) ? 'AsyncFunction' : v.prototype && /^class\b/.test(Function.prototype.toString.call(v)) ? 'class' : 'Function'}${v.name ? `: ${v.name}` : ' (anonymous)'}]`;
      }
      if (typeof v[inspect.custom] === 'function') {
        try { return String(v[inspect.custom](maxDepth - depth, options, inspect)); } catch {}
      }
      if (seen.includes(v)) return '[Circular *1]';
      if (v instanceof Error) return v.stack ? String(v.stack) : `${v.name}: ${v.message}`;
      if (v instanceof Date) return isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString();
      if (v instanceof RegExp) return String(v);
      if (Buffer.isBuffer(v)) return `<Buffer ${Array.from(v.subarray(0, 50), (b: number) => b.toString(16).padStart(2, '0')).join(' ')}${v.length > 50 ? ` ... ${v.length - 50} more bytes` : ''}>`;
      if (depth > maxDepth) return Array.isArray(v) ? '[Array]' : '[Object]';
      seen.push(v);
      try {
        if (Array.isArray(v) || types.isTypedArray(v)) {
          const items = Array.from(v.length > 100 ? Array.prototype.slice.call(v, 0, 100) : v, (x: any) => fmt(x, depth + 1));
          if (v.length > 100) items.push(`... ${v.length - 100} more items`);
          const prefix = Array.isArray(v) ? '' : `${v.constructor.name}(${v.length}) `;
          return items.length ? `${prefix}[ ${items.join(', ')} ]` : `${prefix}[]`;
        }
        if (v instanceof Map) return `Map(${v.size}) {${v.size ? ` ${[...v].map(([k, x]) => `${fmt(k, depth + 1)} => ${fmt(x, depth + 1)}`).join(', ')} ` : ''}}`;
        if (v instanceof Set) return `Set(${v.size}) {${v.size ? ` ${[...v].map((x) => fmt(x, depth + 1)).join(', ')} ` : ''}}`;
        if (v instanceof Promise) return 'Promise { <pending> }';
        const keys = Object.keys(v);
        const name = v.constructor && v.constructor !== Object && typeof v.constructor.name === 'string' ? `${v.constructor.name} ` : Object.getPrototypeOf(v) === null ? '[Object: null prototype] ' : '';
        if (!keys.length) return `${name}{}`;
        const parts = keys.map((k) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : `'${k}'`}: ${fmt(v[k], depth + 1)}`);
        const one = `${name}{ ${parts.join(', ')} }`;
        return one.length <= 72 ? one : `${name}{\n${parts.map((p) => `  ${p.replace(/\n/g, '\n  ')}`).join(',\n')}\n}`;
      } finally {
        seen.pop();
      }
    }
    return fmt(value, 0);
  }
  inspect.custom = Symbol.for('nodejs.util.inspect.custom');
  inspect.defaultOptions = { depth: 2 };

  function format(first?: any, ...rest: any[]): string {
    if (typeof first !== 'string') return [first, ...rest].map((x) => (typeof x === 'string' ? x : inspect(x))).join(' ');
    let i = 0;
    let out = first.replace(/%([sdifjoOc%])/g, (m, c) => {
      if (c === '%') return '%';
      if (i >= rest.length) return m;
      const a = rest[i++];
      switch (c) {
        case 's': return typeof a === 'string' ? a : typeof a === 'bigint' ? `${a}n` : typeof a === 'object' && a !== null ? inspect(a, { depth: 1 }) : String(a);
        case 'd': case 'i': return typeof a === 'bigint' ? `${a}n` : String(c === 'i' ? parseInt(a, 10) : Number(a));
        case 'f': return String(parseFloat(a));
        case 'j': try { return JSON.stringify(a); } catch { return '[Circular]'; }
        case 'o': case 'O': return inspect(a);
        case 'c': return '';
      }
      return m;
    });
    for (; i < rest.length; i++) out += ` ${typeof rest[i] === 'string' ? rest[i] : inspect(rest[i])}`;
    return out;
  }

  const kCustomPromisify = Symbol.for('nodejs.util.promisify.custom');
  function promisify(fn: any): any {
    if (typeof fn !== 'function') throw new TypeError('The "original" argument must be of type function');
    if (fn[kCustomPromisify]) return fn[kCustomPromisify];
    return function (this: any, ...args: any[]) {
      return new Promise((resolve, reject) => {
        fn.call(this, ...args, (err: any, ...values: any[]) => (err ? reject(err) : resolve(values.length > 1 ? values : values[0])));
      });
    };
  }
  promisify.custom = kCustomPromisify;

  function isDeepStrictEqual(a: any, b: any): boolean {
    return rt.builtin('assert').__deepEqual(a, b, true);
  }

  const util: any = {
    format, inspect, promisify, types, isDeepStrictEqual,
    formatWithOptions: (_o: any, ...args: any[]) => format(...args),
    inherits(ctor: any, superCtor: any) {
      Object.defineProperty(ctor, 'super_', { value: superCtor, writable: true, configurable: true });
      Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
    },
    callbackify(fn: any) {
      return function (this: any, ...args: any[]) {
        const cb = args.pop();
        fn.apply(this, args).then((v: any) => rt.queueMicrotask(() => cb(null, v)), (e: any) => rt.queueMicrotask(() => cb(e || new Error('Promise was rejected with a falsy value'))));
      };
    },
    deprecate(fn: any, msg: string) {
      let warned = false;
      return function (this: any, ...args: any[]) {
        if (!warned) { warned = true; rt.process.emitWarning(msg, 'DeprecationWarning'); }
        return fn.apply(this, args);
      };
    },
    debuglog: () => Object.assign(() => {}, { enabled: false }),
    debug: () => Object.assign(() => {}, { enabled: false }),
    isArray: Array.isArray,
    isBoolean: (v: any) => typeof v === 'boolean',
    isNull: (v: any) => v === null,
    isNullOrUndefined: (v: any) => v == null,
    isNumber: (v: any) => typeof v === 'number',
    isString: (v: any) => typeof v === 'string',
    isSymbol: (v: any) => typeof v === 'symbol',
    isUndefined: (v: any) => v === undefined,
    isRegExp: types.isRegExp,
    isObject: (v: any) => v !== null && typeof v === 'object',
    isDate: types.isDate,
    isError: (v: any) => v instanceof Error,
    isFunction: (v: any) => typeof v === 'function',
    isPrimitive: (v: any) => v === null || (typeof v !== 'object' && typeof v !== 'function'),
    isBuffer: (v: any) => Buffer.isBuffer(v),
    stripVTControlCharacters: (s: string) => String(s).replace(/\u001b\[[0-9;]*[A-Za-z]/g, ''),
    toUSVString: (s: string) => String(s),
    TextEncoder: rt.TextEncoder,
    TextDecoder: rt.TextDecoder,
  };
  return util;
}

// Build the `console` module (also the global console).
export function consoleModule(rt: any): any {
  const util = rt.builtin('util');
  const counts = new Map<string, number>();
  const times = new Map<string, number>();
  let indent = '';
  function make(stream: 'stdout' | 'stderr') {
    return (...args: any[]) => {
      const text = util.format(...args);
      rt.process[stream].write(`${indent ? text.replace(/^/gm, indent) : text}\n`);
    };
  }
  const console: any = {
    log: make('stdout'), info: make('stdout'), debug: make('stdout'),
    error: make('stderr'), warn: make('stderr'), trace: (...args: any[]) => make('stderr')('Trace:', ...args),
    dir: (v: any, o?: any) => make('stdout')(util.inspect(v, o)),
    table: (v: any) => make('stdout')(util.inspect(v)),
    assert: (ok: any, ...args: any[]) => { if (!ok) make('stderr')('Assertion failed', ...args); },
    count: (label = 'default') => { const n = (counts.get(label) ?? 0) + 1; counts.set(label, n); make('stdout')(`${label}: ${n}`); },
    countReset: (label = 'default') => counts.delete(label),
    time: (label = 'default') => times.set(label, Date.now()),
    timeEnd: (label = 'default') => { make('stdout')(`${label}: ${Date.now() - (times.get(label) ?? Date.now())}ms`); times.delete(label); },
    timeLog: (label = 'default', ...args: any[]) => make('stdout')(`${label}: ${Date.now() - (times.get(label) ?? Date.now())}ms`, ...args),
    group: (...args: any[]) => { if (args.length) make('stdout')(...args); indent += '  '; },
    groupCollapsed: (...args: any[]) => { if (args.length) make('stdout')(...args); indent += '  '; },
    groupEnd: () => { indent = indent.slice(2); },
  };
  console.Console = function Console() { return console; };
  return console;
}

// Build `tty`: nothing is a terminal inside the isolate.
export function ttyModule(): any {
  return { isatty: () => false, ReadStream: function ReadStream() {}, WriteStream: function WriteStream() {} };
}

// TextEncoder / TextDecoder (UTF-8, with latin1 and utf-16le through Buffer).
export function textModule(rt: any): any {
  const { Buffer } = rt;
  class TextEncoder {
    get encoding() { return 'utf-8'; }
    encode(input = '') { const b = Buffer.from(String(input), 'utf8'); return new Uint8Array(b.buffer, b.byteOffset, b.length); }
    encodeInto(input: string, dest: Uint8Array) { const b = Buffer.from(String(input), 'utf8'); const n = Math.min(b.length, dest.length); dest.set(b.subarray(0, n)); return { read: input.length, written: n }; }
  }
  class TextDecoder {
    encoding: string; fatal: boolean; ignoreBOM: boolean;
    constructor(encoding = 'utf-8', options: any = {}) {
      const e = String(encoding).toLowerCase();
      this.encoding = e === 'utf8' ? 'utf-8' : e;
      this.fatal = !!options.fatal;
      this.ignoreBOM = !!options.ignoreBOM;
    }
    decode(input?: any) {
      if (input == null) return '';
      const bytes = input instanceof ArrayBuffer ? Buffer.from(input) : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
      const enc = this.encoding === 'utf-8' ? 'utf8' : this.encoding === 'utf-16le' ? 'utf16le' : this.encoding === 'latin1' || this.encoding === 'iso-8859-1' ? 'latin1' : 'utf8';
      let s = bytes.toString(enc);
      if (!this.ignoreBOM && s.charCodeAt(0) === 0xfeff) s = s.slice(1);
      return s;
    }
  }
  return { TextEncoder, TextDecoder };
}

// Build `readline`: a script has no terminal and no input; interfaces close at once, cursor moves are no-ops.
export function readlineModule(rt: any): any {
  const done = (cb: any) => { if (typeof cb === 'function') rt.queueMicrotask(cb); return true; };
  function createInterface(options?: any) {
    const rl: any = new rt.EventEmitter();
    let closed = false;
    Object.assign(rl, {
      terminal: false, line: '', input: options?.input ?? options, output: options?.output,
      close() { if (!closed) { closed = true; rl.emit('close'); } },
      question(_q: string, o: any, cb?: any) { rt.queueMicrotask(() => (typeof o === 'function' ? o : cb)?.('')); },
      setPrompt() {}, getPrompt: () => '', prompt() {}, write() {}, pause() { return rl; }, resume() { return rl; },
      async *[Symbol.asyncIterator]() { /* no input lines */ },
    });
    rt.queueMicrotask(() => rl.close());
    return rl;
  }
  const cursor = (_stream: any, ...rest: any[]) => done(rest.find((a) => typeof a === 'function'));
  return {
    createInterface, Interface: createInterface, clearLine: cursor, clearScreenDown: cursor, cursorTo: cursor, moveCursor: cursor,
    emitKeypressEvents() {}, promises: { createInterface, Interface: createInterface },
  };
}
