// Calls from the isolate that need no capability, answered in the worker: hashes, random bytes,
// zlib, and WHATWG URL parsing. Inputs are copies; outputs are plain data.
import { createHash, createHmac, getHashes, randomBytes, randomUUID } from 'node:crypto';
import * as zlib from 'node:zlib';
import type { BrokerError } from './protocol.js';

type Result = { ok: boolean; value?: unknown; error?: BrokerError };

// Keyed by script id and stream id: one script never reaches another's stream.
const streams = new Map<string, { z: zlib.Gzip | zlib.Gunzip | zlib.Inflate | zlib.Deflate | zlib.BrotliCompress; out: Buffer[]; error?: Error }>();
let nextStream = 1;

const SYNC_ZLIB: Record<string, (input: Buffer, options?: zlib.ZlibOptions) => Buffer> = {
  gzip: zlib.gzipSync, gunzip: zlib.gunzipSync, deflate: zlib.deflateSync, inflate: zlib.inflateSync,
  deflateRaw: zlib.deflateRawSync, inflateRaw: zlib.inflateRawSync, unzip: zlib.unzipSync,
  brotliCompress: zlib.brotliCompressSync as never, brotliDecompress: zlib.brotliDecompressSync as never,
};
const STREAM_ZLIB: Record<string, (options?: zlib.ZlibOptions) => zlib.Gzip> = {
  gzip: zlib.createGzip, gunzip: zlib.createGunzip, deflate: zlib.createDeflate, inflate: zlib.createInflate,
  deflateRaw: zlib.createDeflateRaw, inflateRaw: zlib.createInflateRaw, unzip: zlib.createUnzip as never,
  brotliCompress: zlib.createBrotliCompress as never, brotliDecompress: zlib.createBrotliDecompress as never,
};

const bytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
const buf = (u: unknown): Buffer => (typeof u === 'string' ? Buffer.from(u) : Buffer.from(u as Uint8Array));

// Answer `op` here, or return undefined when the controller must broker it.
export function runLocalOp(op: string, args: unknown[], scope: number): Result | undefined {
  try {
    switch (op) {
      case 'hash': {
        const [algorithm, chunks, encoding] = args as [string, unknown[], string | undefined];
        const h = createHash(algorithm);
        for (const c of chunks) h.update(buf(c));
        return { ok: true, value: encoding ? h.digest(encoding as 'hex') : bytes(h.digest()) };
      }
      case 'hmac': {
        const [algorithm, key, chunks, encoding] = args as [string, unknown, unknown[], string | undefined];
        const h = createHmac(algorithm, buf(key));
        for (const c of chunks) h.update(buf(c));
        return { ok: true, value: encoding ? h.digest(encoding as 'hex') : bytes(h.digest()) };
      }
      case 'hashes':
        return { ok: true, value: getHashes() };
      case 'randomBytes':
        return { ok: true, value: bytes(randomBytes(Math.min(Number(args[0]) >>> 0, 1 << 20))) };
      case 'randomUUID':
        return { ok: true, value: randomUUID() };
      case 'zlib': {
        const [kind, input, options] = args as [string, unknown, zlib.ZlibOptions | undefined];
        const fn = SYNC_ZLIB[kind];
        if (!fn) return { ok: false, error: { message: `unknown zlib method ${kind}` } };
        return { ok: true, value: bytes(fn(buf(input), cleanOptions(options))) };
      }
      case 'zlib.open': {
        const [kind, options] = args as [string, zlib.ZlibOptions | undefined];
        const make = STREAM_ZLIB[kind];
        if (!make) return { ok: false, error: { message: `unknown zlib method ${kind}` } };
        const id = nextStream++;
        const z = make(cleanOptions(options));
        const entry = { z, out: [] as Buffer[], error: undefined as Error | undefined };
        z.on('data', (d: Buffer) => entry.out.push(d));
        z.on('error', (e: Error) => (entry.error = e));
        streams.set(`${scope}:${id}`, entry);
        return { ok: true, value: id };
      }
      case 'zlib.write':
      case 'zlib.end':
        return undefined; // asynchronous: see runLocalAsync
      case 'url': {
        const [input, base] = args as [string, string | undefined];
        return { ok: true, value: urlFields(new URL(String(input), base === undefined ? undefined : String(base))) };
      }
      case 'url.set': {
        const [href, field, value] = args as [string, string, string];
        const u = new URL(String(href));
        if (URL_SETTERS.has(field)) (u as unknown as Record<string, string>)[field] = String(value);
        return { ok: true, value: urlFields(u) };
      }
      default:
        return undefined;
    }
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    return { ok: false, error: { message: e.message, code: e.code } };
  }
}

// Feed a zlib stream and collect what it produced so far (the flush waits for the data).
export async function runZlibStream(op: string, args: unknown[], scope: number): Promise<Result> {
  const [n, chunk] = args as [number, unknown];
  const id = `${scope}:${n}`;
  const entry = streams.get(id);
  if (!entry) return { ok: false, error: { message: 'zlib stream is closed' } };
  const z = entry.z;
  await new Promise<void>((resolve) => {
    if (op === 'zlib.end') z.end(chunk === undefined ? undefined : buf(chunk), () => resolve());
    else z.write(buf(chunk), () => z.flush(() => resolve()));
  });
  if (op === 'zlib.end') await new Promise((resolve) => (z.readableEnded ? resolve(undefined) : z.once('end', resolve).once('error', resolve)));
  const out = Buffer.concat(entry.out.splice(0));
  if (op === 'zlib.end') streams.delete(id);
  if (entry.error) {
    streams.delete(id);
    const e = entry.error as NodeJS.ErrnoException;
    return { ok: false, error: { message: e.message, code: e.code, errno: e.errno } };
  }
  return { ok: true, value: bytes(out) };
}

const URL_SETTERS = new Set(['href', 'protocol', 'username', 'password', 'host', 'hostname', 'port', 'pathname', 'search', 'hash']);

function urlFields(u: URL): Record<string, string> {
  return { href: u.href, origin: u.origin, protocol: u.protocol, username: u.username, password: u.password, host: u.host, hostname: u.hostname, port: u.port, pathname: u.pathname, search: u.search, hash: u.hash };
}

// Keep only numeric zlib options (a dictionary is bytes): nothing else crosses.
function cleanOptions(options: unknown): zlib.ZlibOptions | undefined {
  if (!options || typeof options !== 'object') return undefined;
  const out: Record<string, unknown> = {};
  for (const key of ['level', 'windowBits', 'memLevel', 'strategy', 'chunkSize', 'flush', 'finishFlush']) {
    const v = (options as Record<string, unknown>)[key];
    if (typeof v === 'number') out[key] = v;
  }
  const dict = (options as Record<string, unknown>).dictionary;
  if (dict instanceof Uint8Array) out.dictionary = Buffer.from(dict);
  return out as zlib.ZlibOptions;
}

// Forget every zlib stream of a script that ended.
export function dropScope(scope: number): void {
  for (const [key, entry] of streams) {
    if (key.startsWith(`${scope}:`)) {
      entry.z.destroy();
      streams.delete(key);
    }
  }
}
