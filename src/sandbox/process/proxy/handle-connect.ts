// CONNECT host:port: check the destination, dial the checked address, answer 200, then splice bytes both ways.
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { checkDestination } from './check-destination.js';
import { connectUpstream } from './connect-upstream.js';
import { formatHostPort } from './normalize-host.js';
import { parseConnectTarget } from './parse-target.js';
import { plainResponse, type ProxyContext } from './proxy-context.js';

// Serve one CONNECT request on its raw client socket.
export async function handleConnect(ctx: ProxyContext, req: IncomingMessage, client: Socket, head: Buffer): Promise<void> {
  ctx.track(client);
  ctx.stats.attempts++;
  const parsed = parseConnectTarget(req.url ?? '');
  if (!parsed.ok) {
    ctx.stats.malformed++;
    ctx.emit('invalid', 'denied', `CONNECT 400 ${parsed.reason}`);
    client.end(plainResponse(400, 'Bad Request', `safe-install proxy: ${parsed.reason}\n`));
    return;
  }
  const target = parsed.target;
  const name = formatHostPort(target.host, target.port);
  const verdict = await checkDestination(ctx.deciders, target);
  if ('refusal' in verdict) {
    ctx.emit(name, verdict.decision, `CONNECT 403 ${verdict.refusal.kind}`);
    client.end(plainResponse(403, 'Forbidden', ctx.refuse(target, verdict)));
    return;
  }
  if ('error' in verdict) {
    ctx.emit(name, verdict.decision, `CONNECT 502 ${verdict.error}`);
    client.end(plainResponse(502, 'Bad Gateway', `safe-install proxy: ${verdict.error}\n`));
    return;
  }
  if (client.destroyed) {
    ctx.emit(name, verdict.decision, 'CONNECT client closed before the tunnel opened');
    return;
  }
  let upstream: Socket;
  try {
    upstream = ctx.track(await connectUpstream(verdict.addresses, target.port, ctx.limits.connectTimeoutMs));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    ctx.emit(name, verdict.decision, `CONNECT 502 ${code}`);
    client.end(plainResponse(502, 'Bad Gateway', `safe-install proxy: cannot connect to ${name}: ${code}\n`));
    return;
  }
  if (client.destroyed) {
    upstream.destroy();
    ctx.emit(name, verdict.decision, 'CONNECT client closed before the tunnel opened');
    return;
  }
  ctx.emit(name, verdict.decision, `CONNECT 200${verdict.pattern ? ` via "${verdict.pattern}"` : ''} to ${upstream.remoteAddress}`);
  ctx.stats.openTunnels++;
  upstream.on('close', () => { ctx.stats.openTunnels--; client.destroy(); });
  client.on('close', () => upstream.destroy());
  for (const s of [client, upstream]) s.setTimeout(ctx.limits.idleTimeoutMs, () => s.destroy());
  client.on('data', (d: Buffer) => { ctx.stats.bytesFromClient += d.length; });
  upstream.on('data', (d: Buffer) => { ctx.stats.bytesToClient += d.length; });
  client.write('HTTP/1.1 200 Connection established\r\n\r\n');
  if (head.length) { ctx.stats.bytesFromClient += head.length; upstream.write(head); }
  client.pipe(upstream);
  upstream.pipe(client);
}

