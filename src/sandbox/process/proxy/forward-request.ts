// Absolute-form requests (GET http://host:port/path, any method): check, dial the checked address, forward
// the request with hop-by-hop headers removed and Host taken from the URL, stream the answer back.
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { EventDecision } from '../../../events/types.js';
import { checkDestination } from './check-destination.js';
import { connectUpstream } from './connect-upstream.js';
import { formatHostPort } from './normalize-host.js';
import { parseAbsoluteTarget } from './parse-target.js';
import type { ProxyContext } from './proxy-context.js';

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

// Serve one absolute-form request.
export async function forwardRequest(ctx: ProxyContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  ctx.stats.attempts++;
  const method = req.method ?? 'GET';
  const parsed = parseAbsoluteTarget(req.url ?? '');
  if (!parsed.ok) {
    ctx.stats.malformed++;
    ctx.emit('invalid', 'denied', `${method} 400 ${parsed.reason}`);
    sendText(res, 400, `safe-install proxy: ${parsed.reason}\n`);
    return;
  }
  const target = parsed.target;
  const name = formatHostPort(target.host, target.port);
  const verdict = await checkDestination(ctx.deciders, target);
  const fail = (status: number, detail: string, body: string, decision: EventDecision = verdict.decision) => {
    ctx.emit(name, decision, `${method} ${status} ${detail}`);
    if (res.headersSent) { res.destroy(); return; }
    sendText(res, status, body);
  };
  if ('refusal' in verdict) return fail(403, verdict.refusal.kind, ctx.refuse(target, verdict));
  if ('error' in verdict) return fail(502, verdict.error, `safe-install proxy: ${verdict.error}\n`);
  let upstream: Socket;
  try {
    upstream = ctx.track(await connectUpstream(verdict.addresses, target.port, ctx.limits.connectTimeoutMs));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return fail(502, code, `safe-install proxy: cannot connect to ${name}: ${code}\n`);
  }
  upstream.setTimeout(ctx.limits.idleTimeoutMs, () => upstream.destroy());
  const headers = forwardHeaders(req.headers);
  headers.host = target.port === 80 ? name.slice(0, -':80'.length) : name;
  const upReq = httpRequest({ method, path: target.path, headers, createConnection: () => upstream });
  // IMPORTANT: no `agent` option: an agent would dial on its own and ignore createConnection (the checked socket).
  upReq.on('response', (upRes) => {
    const status = upRes.statusCode ?? 502;
    ctx.emit(name, verdict.decision, `${method} ${status}${verdict.pattern ? ` via "${verdict.pattern}"` : ''} to ${upstream.remoteAddress}`);
    upRes.on('data', (d: Buffer) => { ctx.stats.bytesToClient += d.length; });
    res.writeHead(status, upRes.statusMessage, forwardHeaders(upRes.headers));
    upRes.pipe(res);
    upRes.on('error', () => res.destroy());
  });
  upReq.on('error', (err) => {
    upstream.destroy();
    fail(502, (err as NodeJS.ErrnoException).code ?? 'error', `safe-install proxy: ${name} failed: ${err.message}\n`);
  });
  req.on('data', (d: Buffer) => { ctx.stats.bytesFromClient += d.length; });
  res.on('close', () => upstream.destroy());
  req.pipe(upReq);
}


function sendText(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body), connection: 'close' });
  res.end(body);
}

