// The host-side proxy for one lifecycle script: a unix-socket HTTP proxy that tunnels CONNECT and forwards
// absolute-form requests to destinations the script's grant covers, and reports every attempt as an event.
import { createServer, request as httpRequest, type IncomingMessage, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { lookup } from 'node:dns/promises';
import { chmod, unlink } from 'node:fs/promises';
import type { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import type { EventDecision, SandboxEvent } from '../../../events/types.js';
import { blockedMessage, type ProxyIdentity } from './blocked-message.js';
import { checkDestination, type Verdict } from './check-destination.js';
import { connectUpstream } from './connect-upstream.js';
import { formatHostPort } from './normalize-host.js';
import { parseAbsoluteTarget, parseConnectTarget, type ProxyTarget } from './parse-target.js';

/** Limits that keep a hostile client from exhausting or hanging the host. */
export interface ProxyLimits {
  /** Largest request head accepted; larger gets 431. @default 65536 */
  maxHeaderBytes: number;
  /** Time allowed to send a complete request head (slowloris). @default 10000 */
  headersTimeoutMs: number;
  /** Time allowed to connect upstream. @default 10000 */
  connectTimeoutMs: number;
  /** A tunnel or forwarded request with no traffic either way for this long is closed. @default 300000 */
  idleTimeoutMs: number;
  /** Time a held connection waits for `ask`; no answer by then is a no. @default 300000 */
  askTimeoutMs: number;
  /** Concurrent client connections; more are dropped. @default 256 */
  maxConnections: number;
}

export const DEFAULT_PROXY_LIMITS: ProxyLimits = {
  maxHeaderBytes: 64 * 1024,
  headersTimeoutMs: 10_000,
  connectTimeoutMs: 10_000,
  idleTimeoutMs: 300_000,
  askTimeoutMs: 300_000,
  maxConnections: 256,
};

/** Options of one proxy instance, which serves exactly one lifecycle script. */
export interface ProxyOptions {
  /** Where to listen. Its directory must be private (0700) and belong to the caller. */
  socketPath: string;
  /** Grant lines: `host:port`, `*.domain:port`, `host:*`. Empty: every destination is refused or asked. */
  allowNet: readonly string[];
  /** The package and script every connection is attributed to. */
  identity: ProxyIdentity;
  /** Receives one `net.connect` event per attempt. Must not throw. */
  onEvent(event: SandboxEvent): void;
  /** Asked for a destination no grant covers while the connection is held. Absent: deny. */
  ask?: (host: string, port: number) => Promise<boolean>;
  /** Resolve a name on the host. @default all addresses from dns.lookup */
  resolve?: (host: string) => Promise<string[]>;
  /** Override limits (tests use short timeouts). */
  limits?: Partial<ProxyLimits>;
}

/** Counters of one proxy instance. */
export interface ProxyStats {
  attempts: number;
  allowed: number;
  denied: number;
  malformed: number;
  openTunnels: number;
  bytesFromClient: number;
  bytesToClient: number;
}

export interface ProxyHandle {
  socketPath: string;
  /** Stop listening and end every open tunnel and request. */
  close(): Promise<void>;
  stats: ProxyStats;
}

// Headers that describe one hop and must not be forwarded (RFC 9110 section 7.6.1), plus proxy credentials.
const HOP_HEADERS = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'proxy-authenticate',
  'te', 'trailer', 'transfer-encoding', 'upgrade',
]);

function forwardHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const listed = String(headers.connection ?? '').toLowerCase().split(',').map((s) => s.trim());
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_HEADERS.has(name) || listed.includes(name)) continue;
    out[name] = value;
  }
  return out;
}

function plainResponse(status: number, reason: string, body: string): string {
  const bytes = Buffer.byteLength(body);
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${bytes}\r\nConnection: close\r\n\r\n${body}`;
}

// Start one proxy on opts.socketPath; resolves once it accepts connections.
export async function startProxy(opts: ProxyOptions): Promise<ProxyHandle> {
  const limits = { ...DEFAULT_PROXY_LIMITS, ...opts.limits };
  const started = Date.now();
  const stats: ProxyStats = { attempts: 0, allowed: 0, denied: 0, malformed: 0, openTunnels: 0, bytesFromClient: 0, bytesToClient: 0 };
  const live = new Set<Duplex>();
  const resolve = opts.resolve ?? (async (host: string) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address));
  const ask = opts.ask && ((host: string, port: number) => withTimeout(opts.ask!(host, port), limits.askTimeoutMs));
  const deciders = { allowNet: opts.allowNet, ask, resolve };

  function track<T extends Duplex>(stream: T): T {
    live.add(stream);
    stream.on('close', () => live.delete(stream));
    stream.on('error', () => stream.destroy());
    return stream;
  }

  function emit(target: string, decision: EventDecision, detail: string): void {
    if (decision === 'denied' || decision === 'asked-denied') stats.denied++;
    else if (target !== 'invalid') stats.allowed++;
    try {
      opts.onEvent({
        package: opts.identity.package, path: opts.identity.path, script: opts.identity.script,
        kind: 'net.connect', target, decision, tier: 'process', source: 'proxy', detail, at: Date.now() - started,
      });
    } catch {
      // A failing listener must not take the proxy down with it.
    }
  }

  function refuse(target: ProxyTarget, verdict: Extract<Verdict, { refusal: unknown }>): string {
    return blockedMessage(opts.identity, target.host, target.port, verdict.refusal);
  }

  // CONNECT host:port: check, dial the checked address, answer 200, then splice bytes both ways.
  async function onConnect(req: IncomingMessage, client: Socket, head: Buffer): Promise<void> {
    track(client);
    stats.attempts++;
    const parsed = parseConnectTarget(req.url ?? '');
    if (!parsed.ok) {
      stats.malformed++;
      emit('invalid', 'denied', `CONNECT 400 ${parsed.reason}`);
      client.end(plainResponse(400, 'Bad Request', `safe-install proxy: ${parsed.reason}\n`));
      return;
    }
    const target = parsed.target;
    const name = formatHostPort(target.host, target.port);
    const verdict = await checkDestination(deciders, target);
    if ('refusal' in verdict) {
      emit(name, verdict.decision, `CONNECT 403 ${verdict.refusal.kind}`);
      client.end(plainResponse(403, 'Forbidden', refuse(target, verdict)));
      return;
    }
    if ('error' in verdict) {
      emit(name, verdict.decision, `CONNECT 502 ${verdict.error}`);
      client.end(plainResponse(502, 'Bad Gateway', `safe-install proxy: ${verdict.error}\n`));
      return;
    }
    if (client.destroyed) {
      emit(name, verdict.decision, 'CONNECT client closed before the tunnel opened');
      return;
    }
    let upstream: Socket;
    try {
      upstream = track(await connectUpstream(verdict.addresses, target.port, limits.connectTimeoutMs));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      emit(name, verdict.decision, `CONNECT 502 ${code}`);
      client.end(plainResponse(502, 'Bad Gateway', `safe-install proxy: cannot connect to ${name}: ${code}\n`));
      return;
    }
    if (client.destroyed) {
      upstream.destroy();
      emit(name, verdict.decision, 'CONNECT client closed before the tunnel opened');
      return;
    }
    emit(name, verdict.decision, `CONNECT 200${verdict.pattern ? ` via "${verdict.pattern}"` : ''} to ${upstream.remoteAddress}`);
    stats.openTunnels++;
    upstream.on('close', () => { stats.openTunnels--; client.destroy(); });
    client.on('close', () => upstream.destroy());
    for (const s of [client, upstream]) s.setTimeout(limits.idleTimeoutMs, () => s.destroy());
    client.on('data', (d: Buffer) => { stats.bytesFromClient += d.length; });
    upstream.on('data', (d: Buffer) => { stats.bytesToClient += d.length; });
    client.write('HTTP/1.1 200 Connection established\r\n\r\n');
    if (head.length) { stats.bytesFromClient += head.length; upstream.write(head); }
    client.pipe(upstream);
    upstream.pipe(client);
  }

  // GET http://host:port/path (any method): check, dial the checked address, forward, stream the answer back.
  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    stats.attempts++;
    const method = req.method ?? 'GET';
    const parsed = parseAbsoluteTarget(req.url ?? '');
    if (!parsed.ok) {
      stats.malformed++;
      emit('invalid', 'denied', `${method} 400 ${parsed.reason}`);
      sendText(res, 400, `safe-install proxy: ${parsed.reason}\n`);
      return;
    }
    const target = parsed.target;
    const name = formatHostPort(target.host, target.port);
    const verdict = await checkDestination(deciders, target);
    const fail = (status: number, detail: string, body: string, decision: EventDecision = verdict.decision) => {
      emit(name, decision, `${method} ${status} ${detail}`);
      if (res.headersSent) { res.destroy(); return; }
      sendText(res, status, body);
    };
    if ('refusal' in verdict) return fail(403, verdict.refusal.kind, refuse(target, verdict));
    if ('error' in verdict) return fail(502, verdict.error, `safe-install proxy: ${verdict.error}\n`);
    let upstream: Socket;
    try {
      upstream = track(await connectUpstream(verdict.addresses, target.port, limits.connectTimeoutMs));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      return fail(502, code, `safe-install proxy: cannot connect to ${name}: ${code}\n`);
    }
    upstream.setTimeout(limits.idleTimeoutMs, () => upstream.destroy());
    const headers = forwardHeaders(req.headers);
    headers.host = target.port === 80 ? name.slice(0, -':80'.length) : name;
    const upReq = httpRequest({ method, path: target.path, headers, createConnection: () => upstream });
    // IMPORTANT: no `agent` option: an agent would dial on its own and ignore createConnection (the checked socket).
    upReq.on('response', (upRes) => {
      const status = upRes.statusCode ?? 502;
      emit(name, verdict.decision, `${method} ${status}${verdict.pattern ? ` via "${verdict.pattern}"` : ''} to ${upstream.remoteAddress}`);
      upRes.on('data', (d: Buffer) => { stats.bytesToClient += d.length; });
      res.writeHead(status, upRes.statusMessage, forwardHeaders(upRes.headers));
      upRes.pipe(res);
      upRes.on('error', () => res.destroy());
    });
    upReq.on('error', (err) => {
      upstream.destroy();
      fail(502, (err as NodeJS.ErrnoException).code ?? 'error', `safe-install proxy: ${name} failed: ${err.message}\n`);
    });
    req.on('data', (d: Buffer) => { stats.bytesFromClient += d.length; });
    res.on('close', () => upstream.destroy());
    req.pipe(upReq);
  }

  const server = createServer({
    maxHeaderSize: limits.maxHeaderBytes,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: 0, // a long upload may be legitimate; idle tunnels are bounded by idleTimeoutMs instead
    connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
    keepAliveTimeout: 5000,
    requireHostHeader: false, // the absolute-form URL names the destination; Host is rewritten from it
  });
  server.maxConnections = limits.maxConnections;
  server.on('connection', (socket: Socket) => track(socket));
  server.on('request', (req, res) => { onRequest(req, res).catch(() => res.destroy()); });
  server.on('connect', (req: IncomingMessage, socket: Socket, head: Buffer) => { onConnect(req, socket, head).catch(() => socket.destroy()); });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
    stats.attempts++;
    stats.malformed++;
    emit('invalid', 'denied', `${req.method} 501 upgrade requests are not proxied`);
    socket.on('error', () => socket.destroy());
    socket.end(plainResponse(501, 'Not Implemented', 'safe-install proxy: upgrade requests are not proxied; use CONNECT\n'));
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    stats.malformed++;
    const tooBig = err.code === 'HPE_HEADER_OVERFLOW';
    const timedOut = err.code === 'ERR_HTTP_REQUEST_TIMEOUT';
    emit('invalid', 'denied', `${tooBig ? 431 : timedOut ? 408 : 400} ${err.code ?? 'malformed request'}`);
    if (socket.writable && !timedOut) {
      socket.end(tooBig ? plainResponse(431, 'Request Header Fields Too Large', 'safe-install proxy: request head over the limit\n')
        : plainResponse(400, 'Bad Request', 'safe-install proxy: malformed request\n'));
    }
    socket.destroy();
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

function sendText(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body), connection: 'close' });
  res.end(body);
}

function withTimeout(answer: Promise<boolean>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    answer.then((yes) => { clearTimeout(timer); resolve(yes === true); }, () => { clearTimeout(timer); resolve(false); });
  });
}
