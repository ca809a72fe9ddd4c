// What the CONNECT and request handlers share within one proxy instance: checks, limits, counters, events.
import type { Duplex } from 'node:stream';
import type { EventDecision } from '../../../events/types.js';
import { blockedMessage } from './blocked-message.js';
import type { DestinationDeciders, Verdict } from './check-destination.js';
import type { ProxyTarget } from './parse-target.js';
import type { ProxyLimits, ProxyOptions, ProxyStats } from './proxy-options.js';

export interface ProxyContext {
  deciders: DestinationDeciders;
  limits: ProxyLimits;
  stats: ProxyStats;
  /** Remember a stream so close() can end it; errors destroy it instead of crashing the host. */
  track<T extends Duplex>(stream: T): T;
  /** Report one attempt as a net.connect event. */
  emit(target: string, decision: EventDecision, detail: string): void;
  /** The 403 body for a refused target. */
  refuse(target: ProxyTarget, verdict: Extract<Verdict, { refusal: unknown }>): string;
}

// Build the shared context of one proxy instance; `live` collects every stream close() must end.
export function createProxyContext(opts: ProxyOptions, limits: ProxyLimits, deciders: DestinationDeciders, live: Set<Duplex>): ProxyContext {
  const started = Date.now();
  const stats: ProxyStats = { attempts: 0, allowed: 0, denied: 0, malformed: 0, openTunnels: 0, bytesFromClient: 0, bytesToClient: 0 };
  return {
    deciders,
    limits,
    stats,
    track(stream) {
      live.add(stream);
      stream.on('close', () => live.delete(stream));
      stream.on('error', () => stream.destroy());
      return stream;
    },
    emit(target, decision, detail) {
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
    },
    refuse(target, verdict) {
      return blockedMessage(opts.identity, target.host, target.port, verdict.refusal);
    },
  };
}

// Write a complete plain-text HTTP response for a raw socket (CONNECT, upgrade, client errors).
export function plainResponse(status: number, reason: string, body: string): string {
  const bytes = Buffer.byteLength(body);
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${bytes}\r\nConnection: close\r\n\r\n${body}`;
}

