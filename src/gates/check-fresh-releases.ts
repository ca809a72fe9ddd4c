// Gate: registry versions published too recently. Compromised releases are usually caught and pulled
// within hours or days; waiting out that window is the cheapest defence (pure: times are passed in).
import type { GateSettings } from './gates-schema.js';
import { matchAny } from './match-glob.js';
import { packageLabel, type GateDecision, type GateResult, type NpmGateSettings, type TreeEntry } from './types.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Publish times per package name: version -> ISO date, as in the packument's `time`. Absent: unknown. */
export type ReleaseTimes = Map<string, Record<string, string> | undefined>;

// Tell whether the gate has anything to do: a policy window, or npm's min-release-age / before.
export function freshGateActive(settings: GateSettings['freshReleases'], npm: Pick<NpmGateSettings, 'minReleaseAgeDays' | 'before'>): boolean {
  return settings.minAgeDays > 0 || (npm.minReleaseAgeDays ?? 0) > 0 || npm.before !== undefined;
}

// List the registry packages whose publish time must be checked: not excluded by both lists, and new to
// this install (`known` holds `name@version` of the previous lockfile and the behaviour lock).
export function freshCandidates(tree: TreeEntry[], known: Set<string>, settings: GateSettings['freshReleases'], npm: Pick<NpmGateSettings, 'minReleaseAgeDays' | 'before' | 'minReleaseAgeExclude'>): TreeEntry[] {
  const npmActive = (npm.minReleaseAgeDays ?? 0) > 0 || npm.before !== undefined;
  return tree.filter((e) => {
    if (e.source !== 'registry' || !e.version || known.has(`${e.realName}@${e.version}`)) return false;
    const byPolicy = settings.minAgeDays > 0 && !matchAny(settings.exclude, [e.realName]);
    const byNpm = npmActive && !matchAny(npm.minReleaseAgeExclude, [e.realName]);
    return byPolicy || byNpm;
  });
}

// Judge each candidate against npm's window (deny) and the policy's window (its decision).
export function checkFreshReleases(candidates: TreeEntry[], times: ReleaseTimes, now: Date, settings: GateSettings['freshReleases'], npm: Pick<NpmGateSettings, 'minReleaseAgeDays' | 'before' | 'minReleaseAgeExclude'>): GateResult[] {
  const npmCutoff = npm.before ?? (npm.minReleaseAgeDays ? new Date(now.getTime() - npm.minReleaseAgeDays * DAY_MS) : undefined);
  const policyCutoff = settings.minAgeDays > 0 ? new Date(now.getTime() - settings.minAgeDays * DAY_MS) : undefined;
  const out: GateResult[] = [];
  for (const entry of candidates) {
    const npmApplies = npmCutoff !== undefined && !matchAny(npm.minReleaseAgeExclude, [entry.realName]);
    const policyApplies = policyCutoff !== undefined && !matchAny(settings.exclude, [entry.realName]);
    if (!npmApplies && !policyApplies) continue;
    const iso = times.get(entry.realName)?.[entry.version!];
    const published = iso ? new Date(iso) : undefined;
    const hint = `"gates": { "freshReleases": { "exclude": ["${entry.realName}"] } }`;
    let decision: GateDecision | undefined;
    let reason = '';
    let message = '';
    if (!published || Number.isNaN(published.getTime())) {
      decision = policyApplies ? settings.decision : 'deny';
      reason = policyApplies ? `gates.freshReleases.decision is "${settings.decision}"` : 'npm\'s min-release-age/before is set';
      message = 'has no publish time in the registry\'s metadata, so its age cannot be checked';
    } else if (npmApplies && published > npmCutoff!) {
      decision = 'deny';
      reason = npm.before ? `npm's before is ${npm.before.toISOString()}` : `npm's min-release-age is ${npm.minReleaseAgeDays} days`;
      message = `was published ${formatAge(now.getTime() - published.getTime())} ago (${published.toISOString()}), after npm's ${npm.before ? `before date ${npm.before.toISOString()}` : `min-release-age of ${npm.minReleaseAgeDays} days`}`;
    } else if (policyApplies && published > policyCutoff!) {
      decision = settings.decision;
      reason = `gates.freshReleases.decision is "${settings.decision}"`;
      message = `was published ${formatAge(now.getTime() - published.getTime())} ago (${published.toISOString()}), less than the policy's ${settings.minAgeDays} day minimum`;
    }
    if (!decision) continue;
    out.push({
      rule: 'fresh-release',
      package: packageLabel(entry),
      path: entry.path,
      decision,
      reason,
      message,
      question: { action: 'install a version published', target: published ? `${formatAge(now.getTime() - published.getTime())} ago` : 'at an unknown time', policyHint: hint },
    });
  }
  return out;
}

// Say how long ago in the largest sensible unit: `45 minutes`, `5 hours`, `3 days`.
export function formatAge(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60000));
  if (minutes < 120) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} hours`;
  return `${Math.floor(hours / 24)} days`;
}
