// HTTP(S) requests of an isolate script, made on the host through the script's own network proxy
// (the process tier's), so the same grant, prompts and events apply. The response body is pulled
// by the isolate chunk by chunk.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import type { BrokerError } from '../protocol.js';

export interface HttpSpec { url: string; method: string; headers: Record<string, string>; body?: Uint8Array; timeout: number }

export interface HttpClient {
  request(spec: HttpSpec): Promise<{ handle: number; status: number; statusMessage: string; headers: Record<string, string | string[]>; rawHeaders: string[] }>;
  read(handle: number): Promise<Uint8Array | null>;
  abort(handle: number): void;
  close(): void;
}

const CONNECT_TIMEOUT_MS = 30_000;

// Create the HTTP client of one script; `proxySocket` is started on first use.
export function createHttpClient(proxySocket: () => Promise<string>): HttpClient {
  const responses = new Map<number, IncomingMessage>();
  let next = 1;

  async function open(spec: HttpSpec): Promise<IncomingMessage> {
    const url = new URL(spec.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw failure(`unsupported protocol ${url.protocol}`, 'ERR_INVALID_PROTOCOL');
    const socketPath = await proxySocket();
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
    const headers = { ...cleanHeaders(spec.headers), host: url.host };
    if (url.protocol === 'http:') {
      // Absolute-form request to the proxy, which forwards it if the grant allows.
      return send(httpRequest({ socketPath, method: spec.method, path: url.href, headers }), spec);
    }
    const tunnel = await new Promise<import('node:net').Socket>((resolve, reject) => {
      const req = httpRequest({ socketPath, method: 'CONNECT', path: `${url.hostname}:${port}`, headers: { host: `${url.hostname}:${port}` } });
      req.setTimeout(CONNECT_TIMEOUT_MS, () => req.destroy(failure(`connect ETIMEDOUT ${host}:${port}`, 'ETIMEDOUT')));
      req.on('connect', (res, socket) => {
        if (res.statusCode === 200) return resolve(socket);
        socket.destroy();
        reject(failure(`connect ECONNREFUSED ${host}:${port} (${res.statusCode} from safe-install's proxy: not allowed by the policy)`, 'ECONNREFUSED'));
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => reject(failure(`connect ECONNREFUSED ${host}:${port}: ${Buffer.concat(chunks).toString('utf8').trim().slice(0, 500)}`, 'ECONNREFUSED')));
      });
      req.on('error', (e) => reject(failure(e.message, (e as NodeJS.ErrnoException).code)));
      req.end();
    });
    const tls = tlsConnect({ socket: tunnel, servername: host.includes(':') ? undefined : host });
    return send(httpsRequest({ host, port, method: spec.method, path: `${url.pathname}${url.search}`, headers, createConnection: () => tls, agent: false }), spec);
  }

  function send(req: import('node:http').ClientRequest, spec: HttpSpec): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      if (spec.timeout > 0) req.setTimeout(spec.timeout, () => req.destroy(failure('socket hang up', 'ECONNRESET')));
      req.on('response', (res) => {
        res.pause();
        resolve(res);
      });
      req.on('error', (e) => reject(failure(e.message, (e as NodeJS.ErrnoException).code)));
      req.end(spec.body ? Buffer.from(spec.body) : undefined);
    });
  }

  return {
    async request(spec) {
      const res = await open(spec);
      const handle = next++;
      responses.set(handle, res);
      return { handle, status: res.statusCode ?? 0, statusMessage: res.statusMessage ?? '', headers: res.headers as Record<string, string | string[]>, rawHeaders: res.rawHeaders };
    },
    read(handle) {
      const res = responses.get(handle);
      if (!res) return Promise.resolve(null);
      return new Promise((resolve, reject) => {
        const chunk = res.read() as Buffer | null;
        if (chunk) return resolve(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if (res.readableEnded) {
          responses.delete(handle);
          return resolve(null);
        }
        const cleanup = () => { res.off('readable', onReadable); res.off('end', onEnd); res.off('error', onError); };
        const onReadable = () => {
          const c = res.read() as Buffer | null;
          if (!c) return;
          cleanup();
          resolve(new Uint8Array(c.buffer, c.byteOffset, c.byteLength));
        };
        const onEnd = () => { cleanup(); responses.delete(handle); resolve(null); };
        const onError = (e: Error) => { cleanup(); responses.delete(handle); reject(failure(e.message, (e as NodeJS.ErrnoException).code)); };
        res.on('readable', onReadable);
        res.on('end', onEnd);
        res.on('error', onError);
      });
    },
    abort(handle) {
      responses.get(handle)?.destroy();
      responses.delete(handle);
    },
    close() {
      for (const res of responses.values()) res.destroy();
      responses.clear();
    },
  };
}

function cleanHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    const name = String(k).toLowerCase();
    if (!/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(name) || name === 'host' || name.startsWith('proxy-')) continue;
    out[name] = String(v).replace(/[\r\n]/g, ' ');
  }
  return out;
}

function failure(message: string, code?: string): Error & BrokerError {
  return Object.assign(new Error(message), { code });
}
