// Sort one report's events into what a person asks about each package: secrets, writes outside its directory,
// hosts, processes, watched files changed, and whatever else was refused. Repeats are counted, not listed.
import { posix } from 'node:path';
import type { EventDecision, EventKind, SandboxEvent } from '../events/types.js';
import { isSecretTarget } from './is-secret-target.js';

export type ActivitySection = 'secrets' | 'writes' | 'hosts' | 'processes' | 'tamper' | 'denied';

export interface ActivityItem {
  kind: EventKind;
  target: string;
  decision: EventDecision;
  count: number;
  /** Detail of the first occurrence. Untrusted. */
  detail?: string;
}

export interface PackageActivity {
  package: string;
  path: string;
  sections: Record<ActivitySection, ActivityItem[]>;
}

export const SECTION_ORDER: readonly ActivitySection[] = ['secrets', 'writes', 'hosts', 'processes', 'tamper', 'denied'];

const isDenied = (decision: EventDecision) => decision === 'denied' || decision === 'asked-denied';

// Name the section an event belongs in, or none when it is routine (reads, writes in its own directory).
function sectionFor(event: SandboxEvent, projectDir: string): ActivitySection | undefined {
  if (event.kind === 'tamper') return 'tamper';
  if (isSecretTarget(event.kind, event.target)) return 'secrets';
  if (event.kind === 'net.connect' || event.kind === 'net.dns') return 'hosts';
  if (event.kind === 'proc.exec') return 'processes';
  if ((event.kind === 'fs.write' || event.kind === 'fs.delete') && isOutside(event, projectDir)) return 'writes';
  return isDenied(event.decision) ? 'denied' : undefined;
}

// A write is "outside" unless it lands in the package's own directory; allowed scratch writes (/tmp, /dev) are routine.
function isOutside(event: SandboxEvent, projectDir: string): boolean {
  const own = posix.isAbsolute(event.path) ? event.path : posix.join(projectDir, event.path);
  const target = posix.normalize(event.target);
  if (target === own || target.startsWith(own.endsWith('/') ? own : `${own}/`)) return false;
  if (!isDenied(event.decision) && /^\/(tmp|dev)\//.test(target)) return false;
  return true;
}

// Group events per package in order of first appearance.
export function groupPackageActivity(events: SandboxEvent[], projectDir: string): PackageActivity[] {
  const packages = new Map<string, PackageActivity>();
  const items = new Map<string, ActivityItem>();
  for (const event of events) {
    const section = sectionFor(event, projectDir);
    if (!section) continue;
    const packageKey = JSON.stringify([event.package, event.path]);
    let activity = packages.get(packageKey);
    if (!activity) {
      activity = { package: event.package, path: event.path, sections: { secrets: [], writes: [], hosts: [], processes: [], tamper: [], denied: [] } };
      packages.set(packageKey, activity);
    }
    const itemKey = JSON.stringify([packageKey, event.kind, event.target, event.decision]);
    const item = items.get(itemKey);
    if (item) item.count += 1;
    else {
      const fresh: ActivityItem = { kind: event.kind, target: event.target, decision: event.decision, count: 1, detail: event.detail };
      items.set(itemKey, fresh);
      activity.sections[section].push(fresh);
    }
  }
  return [...packages.values()];
}
