// The host-side proxy for one lifecycle script: a unix-socket HTTP proxy that tunnels CONNECT and forwards
// absolute-form requests to destinations the script's grant covers, and reports every attempt as an event.
import { createServer, type IncomingMessage } from 'node:http';
import { lookup } from 'node:dns/promises';
import { chmod, unlink } from 'node:fs/promises';
import type { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import { forwardRequest } from './forward-request.js';
import { handleConnect } from './handle-connect.js';
import { createProxyContext, plainResponse } from './proxy-context.js';
import { DEFAULT_PROXY_LIMITS, type ProxyHandle, type ProxyOptions } from './proxy-options.js';

export { DEFAULT_PROXY_LIMITS } from './proxy-options.js';
export type { ProxyHandle, ProxyLimits, ProxyOptions, ProxyStats } from './proxy-options.js';

// Start one proxy on opts.socketPath; resolves once it accepts connections.
export async function startProxy(opts: ProxyOptions): Promise<ProxyHandle> {
  const limits = { ...DEFAULT_PROXY_LIMITS, ...opts.limits };
  const live = new Set<Duplex>();
  const resolve = opts.resolve ?? (async (host: string) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address));
  const ask = opts.ask && ((host: string, port: number) => withTimeout(opts.ask!(host, port), limits.askTimeoutMs));
  const ctx = createProxyContext(opts, limits, { allowNet: opts.allowNet, ask, resolve }, live);
  const stats = ctx.stats;

  const server = createServer({
    maxHeaderSize: limits.maxHeaderBytes,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: 0, // a long upload may be legitimate; idle tunnels are bounded by idleTimeoutMs instead
    connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
    keepAliveTimeout: 5000,
    requireHostHeader: false, // the absolute-form URL names the destination; Host is rewritten from it
  });
  server.maxConnections = limits.maxConnections;
  server.on('connection', (socket: Socket) => ctx.track(socket));
  server.on('request', (req, res) => { forwardRequest(ctx, req, res).catch(() => res.destroy()); });
  server.on('connect', (req: IncomingMessage, socket: Socket, head: Buffer) => { handleConnect(ctx, req, socket, head).catch(() => socket.destroy()); });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
    ctx.stats.attempts++;
    ctx.stats.malformed++;
    ctx.emit('invalid', 'denied', `${req.method} 501 upgrade requests are not proxied`);
    socket.on('error', () => socket.destroy());
    socket.end(plainResponse(501, 'Not Implemented', 'safe-install proxy: upgrade requests are not proxied; use CONNECT\n'));
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    ctx.stats.malformed++;
    const tooBig = err.code === 'HPE_HEADER_OVERFLOW';
    const timedOut = err.code === 'ERR_HTTP_REQUEST_TIMEOUT';
    ctx.emit('invalid', 'denied', `${tooBig ? 431 : timedOut ? 408 : 400} ${err.code ?? 'malformed request'}`);
    if (socket.writable && !timedOut) {
      socket.end(tooBig ? plainResponse(431, 'Request Header Fields Too Large', 'safe-install proxy: request head over the limit\n')
        : plainResponse(400, 'Bad Request', 'safe-install proxy: malformed request\n'));
      // Let the answer flush, but never wait on a client that does not read.
      setTimeout(() => socket.destroy(), 1000).unref();
    } else socket.destroy();
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.socketPath, () => { server.off('error', fail); ok(); });
  });
  server.on('error', () => {});
  await chmod(opts.socketPath, 0o600);

  let closing: Promise<void> | undefined;
  return {
    socketPath: opts.socketPath,
    stats,
    close() {
      closing ??= (async () => {
        const done = new Promise<void>((ok) => server.close(() => ok()));
        for (const stream of live) stream.destroy();
        server.closeAllConnections();
        await done;
        await unlink(opts.socketPath).catch(() => {});
      })();
      return closing;
    },
  };
}

// Settle a prompt answer as no when it is late or fails.
function withTimeout(answer: Promise<boolean>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    answer.then((yes) => { clearTimeout(timer); resolve(yes === true); }, () => { clearTimeout(timer); resolve(false); });
  });
}
