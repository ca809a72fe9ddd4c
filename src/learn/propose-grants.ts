// Read what each script tried in an audit-mode install and propose the grants that would allow it (pure).
// Secrets are never proposed; neither is anything generalizeWrite refuses. Each refusal is kept for review.
import { isIP } from 'node:net';
import type { InstallReport } from '../report/types.js';
import type { SandboxEvent } from '../events/types.js';
import { classifyAddress } from '../sandbox/process/proxy/classify-address.js';
import { parseNetPattern } from '../sandbox/process/proxy/match-net-grant.js';
import { generalizeWrite, type LearnContext } from './generalize-write.js';
import { checkNetPattern } from '../policy/patterns.js';

/** What one package's scripts needed beyond their grant. */
export interface PackageProposal {
  /** Package name (the policy key), or '' for the root project. */
  name: string;
  isRoot: boolean;
  versions: string[];
  /** Lifecycle scripts seen, e.g. `postinstall`. */
  events: string[];
  net: string[];
  write: string[];
  /** Lines a reviewer should look at (a loopback host, a failed script). */
  notes: string[];
}

/** Something a script tried that the proposal does not grant, with why. */
export interface NotProposed {
  package: string;
  kind: SandboxEvent['kind'];
  target: string;
  reason: string;
}

export interface Proposal {
  packages: PackageProposal[];
  notProposed: NotProposed[];
  /** Scripts that did not run (skipped by the policy) and so taught nothing. */
  notObserved: string[];
}

const REFUSED = new Set(['denied', 'asked-denied']);

// Build the proposal from a finished report.
export function proposeGrants(report: InstallReport, ctx: LearnContext): Proposal {
  const byPath = new Map<string, PackageProposal>();
  const notProposed: NotProposed[] = [];
  const notObserved: string[] = [];
  for (const s of report.scripts) {
    if (s.outcome === 'denied') {
      notObserved.push(`${s.package} ${s.event}: ${s.reason ?? 'skipped'}`);
      continue;
    }
    const isRoot = s.identitySource === 'root';
    const p = byPath.get(s.path) ?? { name: isRoot ? '' : s.name, isRoot, versions: [], events: [], net: [], write: [], notes: [] };
    if (!p.versions.includes(s.version)) p.versions.push(s.version);
    if (!p.events.includes(s.event)) p.events.push(s.event);
    if (s.outcome !== 'ok') p.notes.push(`${s.event} ended ${s.outcome}${s.exitCode != null ? ` (exit ${s.exitCode})` : ''}: it may have stopped before doing everything it needs; run init again after applying this`);
    byPath.set(s.path, p);
  }
  const add = (list: string[], value: string) => { if (!list.includes(value)) list.push(value); };
  for (const e of report.events) {
    if (!REFUSED.has(e.decision)) continue;
    const p = byPath.get(e.path);
    const skip = (reason: string) => notProposed.push({ package: e.package, kind: e.kind, target: e.target, reason });
    if (!p) { skip('no script of this package ran'); continue; }
    switch (e.kind) {
      case 'net.connect': {
        if (e.source !== 'proxy') { skip('a direct connection that ignored the proxy: no grant can open it'); break; }
        const pattern = parseNetPattern(e.target);
        if (!pattern || checkNetPattern(e.target)) { skip('not a host:port a policy can name'); break; }
        const cls = isIP(pattern.host) ? classifyAddress(pattern.host) : undefined;
        if (cls && cls !== 'loopback' && cls !== 'private') { skip(`a ${cls} address`); break; }
        const local = pattern.host === 'localhost' || pattern.host.endsWith('.localhost');
        if (cls || local || /\brestricted\b/.test(e.detail ?? '')) add(p.notes, `${e.target} is a ${cls ?? 'loopback or private'} destination: check it is meant`);
        add(p.net, e.target);
        break;
      }
      case 'fs.write':
      case 'fs.delete': {
        const w = generalizeWrite(e.target, ctx);
        if ('refused' in w) skip(w.refused);
        else add(p.write, w.pattern);
        break;
      }
      case 'fs.read':
        skip('a secret or a hidden path: reads are never proposed (grant one by hand in allow.read if it is truly needed)');
        break;
      case 'env.read':
        skip('environment variables are granted by name by hand, never learned');
        break;
      default:
        skip('not something a grant covers in the process tier');
    }
  }
  const packages = [...byPath.values()].sort((a, b) => (a.isRoot === b.isRoot ? a.name.localeCompare(b.name) : a.isRoot ? -1 : 1));
  // Several copies of one package (different paths) share one policy key: merge them.
  const merged = new Map<string, PackageProposal>();
  for (const p of packages) {
    const key = p.isRoot ? '\0root' : p.name;
    const m = merged.get(key);
    if (!m) { merged.set(key, { ...p, versions: [...p.versions], events: [...p.events], net: [...p.net], write: [...p.write], notes: [...p.notes] }); continue; }
    for (const list of ['versions', 'events', 'net', 'write', 'notes'] as const) for (const v of p[list]) add(m[list], v);
  }
  // `mkdir -p` of a granted directory's parents (`$HOME/.cache`) needs no grant: once the granted directory
  // exists, the parents do too. Drop those refusals rather than list them for review.
  const grantedDirs = [...merged.values()].flatMap((p) => p.write.map((w) => expandPattern(w, ctx)));
  const kept = notProposed.filter((n) => !((n.kind === 'fs.write') && grantedDirs.some((d) => d.startsWith(`${n.target.replace(/\/$/, '')}/`))));
  return { packages: [...merged.values()], notProposed: dedupe(kept), notObserved };
}

// The absolute directory a proposed write pattern stands for.
function expandPattern(pattern: string, ctx: LearnContext): string {
  return pattern.replace(/\/\*\*$/, '').replace(/^\$HOME/, ctx.home).replace(/^\$CACHE/, ctx.cache).replace(/^\$PROJECT/, ctx.projectDir);
}

function dedupe(items: NotProposed[]): NotProposed[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const k = `${i.package}\0${i.kind}\0${i.target}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
