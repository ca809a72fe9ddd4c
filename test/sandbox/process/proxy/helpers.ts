// Shared setup for the proxy tests: a loopback origin server, a private socket dir, and raw clients.
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SandboxEvent } from '../../../../src/events/types.js';
import { startProxy, type ProxyHandle, type ProxyOptions } from '../../../../src/sandbox/process/proxy/index.js';

export const IDENTITY = { package: 'prebuilt-thing@1.2.3', path: 'node_modules/prebuilt-thing', script: 'postinstall' };

/** A loopback HTTP server answering `file-body <path>` on every request. */
export async function startOrigin(): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    res.setHeader('x-seen-host', String(req.headers.host));
    res.setHeader('x-seen-proxy-auth', String(req.headers['proxy-authorization'] ?? ''));
    res.end(`file-body ${req.url}\n`);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  return { server, port, close: () => new Promise((ok) => { server.closeAllConnections(); server.close(() => ok()); }) };
}

/** A proxy in a fresh 0700 dir, recording its events. */
export async function startTestProxy(opts: Partial<ProxyOptions> = {}): Promise<{ proxy: ProxyHandle; events: SandboxEvent[]; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'si-proxy-'));
  const events: SandboxEvent[] = [];
  const proxy = await startProxy({
    socketPath: join(dir, 'proxy.sock'),
    allowNet: [],
    identity: IDENTITY,
    onEvent: (e) => events.push(e),
    ...opts,
  });
  return { proxy, events, close: async () => { await proxy.close(); rmSync(dir, { recursive: true, force: true }); } };
}

/** Send raw bytes to the proxy socket and collect everything until the proxy closes (or `ms` passes). */
export function rawExchange(socketPath: string, data: string | Buffer, ms = 3000): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(socketPath);
    let text = '';
    const timer = setTimeout(() => { socket.destroy(); resolve({ text, closed: false }); }, ms);
    socket.on('data', (d) => { text += d.toString('latin1'); });
    socket.on('error', () => {});
    socket.on('close', () => { clearTimeout(timer); resolve({ text, closed: true }); });
    socket.write(data);
  });
}

/** Open a CONNECT tunnel; resolves with the status line and the socket to talk through. */
export function openTunnel(socketPath: string, authority: string): Promise<{ status: string; head: string; socket: import('node:net').Socket }> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    let buf = '';
    socket.on('error', reject);
    const onData = (d: Buffer) => {
      buf += d.toString('latin1');
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      resolve({ status: buf.slice(0, buf.indexOf('\r\n')), head: buf, socket });
    };
    socket.on('data', onData);
    socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`);
  });
}

/** Read from a socket until it closes. */
export function readAll(socket: import('node:net').Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    socket.on('data', (d) => { text += d.toString('latin1'); });
    socket.on('close', () => resolve(text));
  });
}

export function body(response: string): string {
  return response.slice(response.indexOf('\r\n\r\n') + 4);
}

export const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));
