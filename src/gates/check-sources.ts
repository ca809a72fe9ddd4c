// Gate: packages that do not come from the registry (git, URL, tarball file, directory), anywhere in the
// tree. Registry scanners never see them; PhantomRaven hid its payload behind http URLs in dependencies (pure).
import type { GateSettings } from './gates-schema.js';
import { matchAny } from './match-glob.js';
import { packageLabel, type GateDecision, type GateResult, type NpmAllow, type NpmGateSettings, type SourceKind, type TreeEntry } from './types.js';

const KIND_LABEL: Record<Exclude<SourceKind, 'registry'>, string> = { git: 'git repository', remote: 'URL', file: 'tarball file', directory: 'directory' };
const NPM_SETTING: Record<Exclude<SourceKind, 'registry'>, keyof NpmGateSettings> = { git: 'allowGit', remote: 'allowRemote', file: 'allowFile', directory: 'allowDirectory' };

// Judge every exotic source in the tree: deny patterns, then npm's allow-* settings, then allow patterns,
// then `direct` / `transitive`.
export function checkSources(tree: TreeEntry[], settings: GateSettings['sources'], npm: Pick<NpmGateSettings, 'allowGit' | 'allowRemote' | 'allowFile' | 'allowDirectory'>): GateResult[] {
  const out: GateResult[] = [];
  for (const entry of tree) {
    if (entry.source === 'registry') continue;
    const kind = entry.source;
    const where = entry.resolved ?? entry.spec ?? entry.path;
    const values = [entry.resolved, entry.spec];
    const npmKey = NPM_SETTING[kind] as 'allowGit';
    const npmValue: NpmAllow = npm[npmKey];
    const npmName = `allow-${kind === 'remote' ? 'remote' : kind}`;
    let decision: GateDecision;
    let reason: string;
    const denied = matchAny(settings.deny, values);
    const allowed = matchAny(settings.allow, values);
    if (denied) [decision, reason] = ['deny', `gates.sources.deny has "${denied}"`];
    else if (npmValue === 'none') [decision, reason] = ['deny', `npm's ${npmName} is "none"`];
    else if (npmValue === 'root' && !entry.direct) [decision, reason] = ['deny', `npm's ${npmName} is "root": only the project's package.json may name one`];
    else if (allowed) [decision, reason] = ['allow', `gates.sources.allow has "${allowed}"`];
    else if (entry.direct) [decision, reason] = [settings.direct, `gates.sources.direct is "${settings.direct}"`];
    else [decision, reason] = [settings.transitive, `gates.sources.transitive is "${settings.transitive}"`];
    const from = entry.direct ? 'named in package.json' : `via ${describeVia(entry.via)}`;
    out.push({
      rule: 'exotic-source',
      package: packageLabel(entry),
      path: entry.path,
      decision,
      reason,
      message: `from a ${KIND_LABEL[kind]}, not the registry: ${where}${showSpec(entry, where) ? ` (spec "${entry.spec}")` : ''}, ${from}`,
      question: {
        action: `be installed from a ${KIND_LABEL[kind]}`,
        target: where,
        policyHint: `"gates": { "sources": { "allow": ["${where.replace(/#.*$/, '')}*"] } }`,
      },
    });
  }
  return out;
}

// Show the spec beside `resolved` when it says more (a git ref, a URL npm redirected); a file path npm
// only made relative does not.
function showSpec(entry: TreeEntry, where: string): boolean {
  if (!entry.spec || entry.spec === where) return false;
  return entry.source !== 'file' && entry.source !== 'directory';
}

// Name the dependents of a package for a message: `the project`, `a@1 (node_modules/a)`, at most three.
export function describeVia(via: string[]): string {
  if (via.length === 0) return 'an unknown dependent';
  const names = via.map((p) => (p === '' ? 'the project' : p));
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}
