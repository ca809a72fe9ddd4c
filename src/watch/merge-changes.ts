// Join what the live watcher saw with what the snapshots show: the union, one entry per path and kind.
import type { TamperChange } from './types.js';

// Merge live events and snapshot differences. A path the snapshots show as changed keeps the snapshot's
// verdict, timed by the first live event on it. Live events on paths whose net state did not change
// (a file written then restored, or added then removed again) are kept as well, one per path and kind,
// since a transient write is still a write.
export function mergeChanges(live: TamperChange[], snapshot: TamperChange[]): TamperChange[] {
  const firstSeen = new Map<string, number>();
  for (const c of live) if (!firstSeen.has(c.path) || c.at < firstSeen.get(c.path)!) firstSeen.set(c.path, c.at);
  const decided = new Set(snapshot.map((c) => c.path));
  const out = snapshot.map((c) => ({ ...c, at: firstSeen.get(c.path) ?? c.at }));
  const transient = new Map<string, TamperChange>();
  for (const c of live) {
    const key = `${c.path}\0${c.change}`;
    if (!decided.has(c.path) && !transient.has(key)) transient.set(key, c);
  }
  out.push(...transient.values());
  return out.sort((a, b) => a.at - b.at || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
