// Turn one install's script records and events into what the behaviour lock keeps per package (pure):
// script hashes, hosts, writes outside the package's directory, and programs started.
import { posix } from 'node:path';
import type { SandboxEvent } from '../events/types.js';
import type { ScriptRecord } from '../report/types.js';
import { SANDBOX_PROXY_SOCKET } from '../sandbox/process/proxy/proxied-command.js';
import { hashScript } from './hash-script.js';
import type { ObservedPackage } from './types.js';

/** Host directories that become `$PROJECT`, `$CACHE`, `$HOME` in recorded paths, so the lock is portable. */
export interface ObserveContext {
  projectDir: string;
  home?: string;
  cache?: string;
}

// Targets that are safe-install's own plumbing or glibc probes, not the package's behaviour.
const PLUMBING = new Set([SANDBOX_PROXY_SOCKET, '/var/run/nscd/socket', '/run/nscd/socket']);

// Group records and events per package identity; the root project is not locked (its scripts are the project's own code).
export function observeBehaviour(scripts: ScriptRecord[], events: SandboxEvent[], ctx: ObserveContext): ObservedPackage[] {
  const byKey = new Map<string, ObservedPackage>();
  const keyByPath = new Map<string, string>();
  for (const record of scripts) {
    if (record.identitySource === 'root' || record.path === '') continue;
    const key = `${record.name}@${record.version}`;
    let entry = byKey.get(key);
    if (!entry) {
      entry = { key, name: record.name, version: record.version, path: record.path, integrity: record.integrity, scripts: {}, seen: { hosts: [], writes: [], executables: [] } };
      byKey.set(key, entry);
    }
    entry.scripts[record.event] = hashScript(record.command);
    // The isolate tier runs `node file.js` without starting node: count it, so moving tiers is not drift.
    if (record.tier === 'isolate') entry.seen.executables.push('node');
    entry.integrity ??= record.integrity;
    keyByPath.set(record.path, key);
  }
  for (const event of events) {
    const key = keyByPath.get(event.path);
    const entry = key ? byKey.get(key) : undefined;
    if (!entry) continue;
    const item = summarizeEvent(event, ctx);
    if (item) entry.seen[item.list].push(item.value);
  }
  for (const entry of byKey.values()) {
    entry.seen = { hosts: capped(entry.seen.hosts), writes: capped(entry.seen.writes), executables: capped(entry.seen.executables) };
  }
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

// Name the lock list and value one event contributes, or none for routine activity.
export function summarizeEvent(event: SandboxEvent, ctx: ObserveContext): { list: 'hosts' | 'writes' | 'executables'; value: string } | undefined {
  if (PLUMBING.has(event.target)) return undefined;
  if (event.kind === 'net.connect' || event.kind === 'net.dns') return { list: 'hosts', value: event.target };
  if (event.kind === 'proc.exec') return { list: 'executables', value: posix.basename(event.target) || event.target };
  if (event.kind === 'fs.write' || event.kind === 'fs.delete') {
    const place = writePlace(event, ctx);
    return place ? { list: 'writes', value: place } : undefined;
  }
  return undefined;
}

// Where a write landed, as a short portable place; undefined inside the package's own directory or
// (when allowed) the private /tmp and /dev streams.
function writePlace(event: SandboxEvent, ctx: ObserveContext): string | undefined {
  const own = posix.isAbsolute(event.path) ? event.path : posix.join(ctx.projectDir, event.path);
  const target = posix.normalize(event.target);
  if (isUnder(target, own)) return undefined;
  const allowed = event.decision === 'allowed' || event.decision === 'asked-allowed';
  if (allowed && /^\/(tmp|dev)(\/|$)/.test(target)) return undefined;
  return shortPlace(target, ctx);
}

// `$PROJECT/node_modules/<pkg>` for another package, else the anchor and at most two components below it.
export function shortPlace(target: string, ctx: ObserveContext): string {
  // The cache usually lives under HOME, so it is tried first.
  const anchors: [string, string | undefined][] = [['$CACHE', ctx.cache], ['$PROJECT', ctx.projectDir], ['$HOME', ctx.home]];
  for (const [name, dir] of anchors) {
    if (!dir || dir === '/' || !isUnder(target, dir)) continue;
    const parts = posix.relative(dir, target).split('/').filter(Boolean);
    if (name === '$PROJECT' && parts[0] === 'node_modules') {
      const take = parts[1]?.startsWith('@') ? 3 : 2;
      return [name, ...parts.slice(0, take)].join('/');
    }
    return [name, ...parts.slice(0, 2)].join('/');
  }
  return `/${target.split('/').filter(Boolean).slice(0, 2).join('/')}`;
}

function isUnder(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
}

// A script that tries thousands of hosts or paths must not bloat a committed file: keep the first MAX_SEEN.
const MAX_SEEN = 200;
function capped(items: string[]): string[] {
  return sortedUnique(items).slice(0, MAX_SEEN);
}

export function sortedUnique(items: string[]): string[] {
  return [...new Set(items)].sort();
}
