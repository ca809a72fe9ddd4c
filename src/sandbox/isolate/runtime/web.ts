// The web platform globals Node gives every script (undici, got and fetch users rely on them):
// Event, EventTarget, CustomEvent, AbortController, AbortSignal, DOMException, Blob, File and
// structuredClone, written for the isolate (V8 alone has none of them).
// IMPORTANT: this factory is evaluated inside the isolate from its source text; it may only use
// its `rt` argument and the isolate's own globals.
/* eslint-disable */
// @ts-nocheck

export function webModule(rt: any): any {
  const kListeners = Symbol('listeners');

  class DOMException extends Error {
    static INDEX_SIZE_ERR = 1; static NOT_FOUND_ERR = 8; static NOT_SUPPORTED_ERR = 9; static INVALID_STATE_ERR = 11; static SYNTAX_ERR = 12;
    static ABORT_ERR = 20; static TIMEOUT_ERR = 23; static DATA_CLONE_ERR = 25;
    constructor(message = '', options: any = 'Error') {
      super(String(message), typeof options === 'object' && options && 'cause' in options ? { cause: options.cause } : undefined);
      const name = typeof options === 'object' && options ? String(options.name ?? 'Error') : String(options);
      Object.defineProperty(this, 'name', { value: name, configurable: true, writable: true });
    }
    get code() {
      return ({ IndexSizeError: 1, NotFoundError: 8, NotSupportedError: 9, InvalidStateError: 11, SyntaxError: 12, AbortError: 20, TimeoutError: 23, DataCloneError: 25 } as any)[this.name] ?? 0;
    }
  }

  class Event {
    type: string; bubbles: boolean; cancelable: boolean; composed: boolean; defaultPrevented = false; timeStamp = Date.now();
    target: any = null; currentTarget: any = null; eventPhase = 0; isTrusted = false; _stop = false;
    constructor(type: any, init: any = {}) {
      if (arguments.length === 0) throw new TypeError('The "type" argument must be specified');
      this.type = String(type); this.bubbles = !!init.bubbles; this.cancelable = !!init.cancelable; this.composed = !!init.composed;
    }
    preventDefault() { if (this.cancelable) this.defaultPrevented = true; }
    stopPropagation() {}
    stopImmediatePropagation() { this._stop = true; }
    composedPath() { return this.currentTarget ? [this.currentTarget] : []; }
    get returnValue() { return !this.defaultPrevented; }
    get cancelBubble() { return false; }
    static NONE = 0; static CAPTURING_PHASE = 1; static AT_TARGET = 2; static BUBBLING_PHASE = 3;
  }
  class CustomEvent extends Event {
    detail: any;
    constructor(type: any, init: any = {}) { super(type, init); this.detail = init.detail ?? null; }
  }

  class EventTarget {
    constructor() { Object.defineProperty(this, kListeners, { value: new Map(), enumerable: false }); }
    addEventListener(type: any, listener: any, options: any = {}) {
      if (listener == null) return;
      const once = typeof options === 'object' && !!options?.once;
      const signal = typeof options === 'object' ? options?.signal : undefined;
      if (signal?.aborted) return;
      const list = this[kListeners].get(String(type)) ?? [];
      if (list.some((l: any) => l.listener === listener)) return;
      const entry = { listener, once };
      list.push(entry);
      this[kListeners].set(String(type), list);
      signal?.addEventListener?.('abort', () => this.removeEventListener(type, listener), { once: true });
    }
    removeEventListener(type: any, listener: any) {
      const list = this[kListeners].get(String(type));
      if (!list) return;
      const i = list.findIndex((l: any) => l.listener === listener);
      if (i >= 0) list.splice(i, 1);
    }
    dispatchEvent(event: any) {
      if (!(event instanceof Event)) throw new TypeError('The "event" argument must be an instance of Event');
      event.target = this; event.currentTarget = this; event.eventPhase = 2;
      const handler = (this as any)[`on${event.type}`];
      const list = (this[kListeners].get(event.type) ?? []).slice();
      if (typeof handler === 'function') list.unshift({ listener: handler, once: false });
      for (const entry of list) {
        if (entry.once) this.removeEventListener(event.type, entry.listener);
        try {
          if (typeof entry.listener === 'function') entry.listener.call(this, event);
          else if (typeof entry.listener?.handleEvent === 'function') entry.listener.handleEvent(event);
        } catch (error) {
          rt.queueMicrotask(() => { throw error; });
        }
        if (event._stop) break;
      }
      event.currentTarget = null; event.eventPhase = 0;
      return !event.defaultPrevented;
    }
  }

  const kCreate = Symbol('create');
  class AbortSignal extends EventTarget {
    aborted = false; reason: any = undefined; onabort: any = null;
    constructor(key?: any) {
      if (key !== kCreate) throw new TypeError('Illegal constructor');
      super();
    }
    throwIfAborted() { if (this.aborted) throw this.reason; }
    _abort(reason: any) {
      if (this.aborted) return;
      this.aborted = true;
      this.reason = reason === undefined ? new DOMException('This operation was aborted', 'AbortError') : reason;
      this.dispatchEvent(new Event('abort'));
    }
    static abort(reason?: any) { const s = new AbortSignal(kCreate); s._abort(reason); return s; }
    static timeout(ms: any) {
      const s = new AbortSignal(kCreate);
      // Like Node's, the timer does not keep the script alive.
      rt.timers.setTimeout(() => s._abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), ms).unref();
      return s;
    }
    static any(signals: any) {
      const s = new AbortSignal(kCreate);
      for (const signal of signals) {
        if (signal.aborted) { s._abort(signal.reason); break; }
        signal.addEventListener('abort', () => s._abort(signal.reason), { once: true });
      }
      return s;
    }
  }
  class AbortController {
    signal = new AbortSignal(kCreate);
    abort(reason?: any) { this.signal._abort(reason); }
  }

  const toBytes = (part: any): Uint8Array => {
    if (part instanceof Blob) return part._bytes;
    if (part instanceof ArrayBuffer) return new Uint8Array(part.slice(0));
    if (ArrayBuffer.isView(part)) return new Uint8Array(part.buffer.slice(part.byteOffset, part.byteOffset + part.byteLength));
    return new rt.TextEncoder().encode(String(part));
  };
  class Blob {
    _bytes: Uint8Array; _type: string;
    constructor(parts: any = [], options: any = {}) {
      const chunks = [...parts].map(toBytes);
      const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      let at = 0;
      for (const c of chunks) { out.set(c, at); at += c.length; }
      this._bytes = out;
      this._type = /^[\x20-\x7e]*$/.test(String(options?.type ?? '')) ? String(options?.type ?? '').toLowerCase() : '';
    }
    get size() { return this._bytes.length; }
    get type() { return this._type; }
    slice(start = 0, end = this.size, type = '') {
      const b = new Blob([], { type });
      b._bytes = this._bytes.slice(start < 0 ? Math.max(this.size + start, 0) : Math.min(start, this.size), end < 0 ? Math.max(this.size + end, 0) : Math.min(end, this.size));
      return b;
    }
    async arrayBuffer() { return this._bytes.slice().buffer; }
    async bytes() { return this._bytes.slice(); }
    async text() { return new rt.TextDecoder().decode(this._bytes); }
    stream() {
      const bytes = this._bytes;
      return new (rt.builtin('stream/web').ReadableStream)({ start(c: any) { if (bytes.length) c.enqueue(bytes.slice()); c.close(); } });
    }
    get [Symbol.toStringTag]() { return 'Blob'; }
  }
  class File extends Blob {
    name: string; lastModified: number;
    constructor(parts: any, name: any, options: any = {}) {
      super(parts, options);
      this.name = String(name);
      this.lastModified = options?.lastModified ?? Date.now();
    }
    get [Symbol.toStringTag]() { return 'File'; }
  }

  // The structured clone algorithm for the data scripts pass around (no transfer of host objects: there are none).
  function structuredClone(value: any, _options?: any) {
    const seen = new Map();
    const clone = (v: any): any => {
      if (typeof v === 'function' || typeof v === 'symbol') throw new DOMException(`${String(v)} could not be cloned.`, 'DataCloneError');
      if (v === null || typeof v !== 'object') return v;
      if (seen.has(v)) return seen.get(v);
      let out: any;
      if (v instanceof Date) out = new Date(v.getTime());
      else if (v instanceof RegExp) out = new RegExp(v.source, v.flags);
      else if (v instanceof ArrayBuffer) out = v.slice(0);
      else if (ArrayBuffer.isView(v)) out = new (v.constructor as any)(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
      else if (v instanceof Map) { out = new Map(); seen.set(v, out); for (const [k, x] of v) out.set(clone(k), clone(x)); return out; }
      else if (v instanceof Set) { out = new Set(); seen.set(v, out); for (const x of v) out.add(clone(x)); return out; }
      else if (v instanceof Error) { out = new (v.constructor as any)(v.message); if (v.stack) out.stack = v.stack; }
      else if (v instanceof Blob) out = v.slice(0, v.size, v.type);
      else if (Array.isArray(v)) { out = []; seen.set(v, out); for (let i = 0; i < v.length; i++) out[i] = clone(v[i]); return out; }
      else { out = {}; seen.set(v, out); for (const k of Object.keys(v)) out[k] = clone(v[k]); return out; }
      seen.set(v, out);
      return out;
    };
    return clone(value);
  }

  return { DOMException, Event, CustomEvent, EventTarget, AbortSignal, AbortController, Blob, File, structuredClone };
}
