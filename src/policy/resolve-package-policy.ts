// Decide whether one package's scripts run and build the grant they run under:
// profile chain, then the known-package entry, then the policy entry, each path resolved for the sandbox.
import semver from 'semver';
import { emptyGrant, type PackageIdentity, type PolicyContext, type ResolvedPackagePolicy, type RunDecision } from './types.js';
import type { LoadedPolicy, PolicyEntry } from './loaded-policy.js';
import { keyMatches } from './package-key.js';
import type { Allow, KnownPackage, Profile } from './schema.js';
import { diskRealpath, resolvePathPattern, type Realpath } from './resolve-path.js';

/** Which profile and grants apply, before any path is resolved. Pure. */
export interface RunResolution {
  run: RunDecision;
  profile: string;
  known?: KnownPackage;
  /** Grants from the policy (entry or root section), added last. */
  allow: Allow[];
  reasons: string[];
}

// Find the first known-package entry for this name whose range holds the version.
export function findKnownPackage(known: KnownPackage[], name: string, version?: string): KnownPackage | undefined {
  if (!version || !semver.valid(version)) return undefined;
  return known.find((k) => k.name === name && semver.satisfies(version, k.versions, { includePrerelease: true }));
}

// Describe an entry for reasons: `"esbuild@0.25.0" (policy file)`.
function describe(entry: PolicyEntry): string {
  return `"${entry.key}" (${entry.source === 'policy' ? 'policy file' : 'package.json allowScripts'})`;
}

// Decide run and profile for a package from the policy alone (no paths, no disk).
export function resolveRun(policy: LoadedPolicy, identity: PackageIdentity): RunResolution {
  if (identity.isRoot) {
    const run = policy.root.run ? 'allow' : 'deny';
    return { run, profile: policy.root.profile, allow: policy.root.allow ? [policy.root.allow] : [], reasons: [`root project scripts: root.run is ${policy.root.run}, profile ${policy.root.profile}`] };
  }
  const known = findKnownPackage(policy.known, identity.name, identity.version);
  const knownProfile = known?.profile ?? 'default';
  const matches = policy.entries.filter((e) => keyMatches(e.parsed, identity.name, identity.version));
  const denies = matches.filter((e) => !e.run);
  if (denies.length > 0) {
    // A deny wins over every allow, whatever its specificity or source.
    return { run: 'deny', profile: 'default', allow: [], reasons: denies.map((e) => `denied by ${describe(e)}`) };
  }
  const versioned = matches.filter((e) => e.parsed.versions);
  const chosen = versioned.length > 0 ? versioned : matches;
  if (chosen.length > 0) {
    const reasons = chosen.map((e) => `allowed by ${describe(e)}`);
    const overrides = chosen.some((e) => e.profile !== undefined || e.allow !== undefined);
    const profile = chosen.find((e) => e.profile)?.profile ?? knownProfile;
    if (known && !overrides) reasons.push(`known package ${known.name} ${known.versions}: profile ${known.profile}`);
    else if (known) reasons.push(`known package ${known.name} ${known.versions} replaced by the policy entry`);
    return { run: 'allow', profile, known: overrides ? undefined : known, allow: chosen.flatMap((e) => (e.allow ? [e.allow] : [])), reasons };
  }
  const run: RunDecision = policy.unlisted === 'sandbox' ? 'allow' : policy.unlisted;
  const reasons = [`no entry names ${identity.name}${identity.version ? '@' + identity.version : ''}; unlisted is "${policy.unlisted}"`];
  if (known) reasons.push(`known package ${known.name} ${known.versions}: profile ${known.profile}`);
  return { run, profile: knownProfile, known, allow: [], reasons };
}

// List a profile and its ancestors, base first; a cycle or unknown name stops the walk.
function profileChain(profiles: Record<string, Profile>, name: string): { name: string; profile: Profile }[] {
  const chain: { name: string; profile: Profile }[] = [];
  const seen = new Set<string>();
  for (let cur: string | undefined = name; cur && profiles[cur] && !seen.has(cur); cur = profiles[cur].extends) {
    seen.add(cur);
    chain.unshift({ name: cur, profile: profiles[cur] });
  }
  return chain;
}

/** Options of resolvePackagePolicy. */
export interface ResolveOptions {
  /** Canonicalizes existing paths. @default fs.realpathSync.native (tests pass a fake). */
  realpath?: Realpath;
}

// Resolve the run decision and the absolute grant of one package's scripts.
export function resolvePackagePolicy(
  policy: LoadedPolicy,
  identity: PackageIdentity,
  ctx: PolicyContext,
  options: ResolveOptions = {},
): ResolvedPackagePolicy {
  const realpath = options.realpath ?? diskRealpath;
  const decision = resolveRun(policy, identity);
  const grant = { ...emptyGrant(), protect: [] as string[] };
  const refused: { pattern: string; reason: string }[] = [];
  const reasons = [...decision.reasons];
  if (decision.run === 'deny') return { run: 'deny', grant, profile: decision.profile, reasons, refused };

  const chain = profileChain(policy.profiles, decision.profile);
  const layers: (Allow & { protect?: string[]; execAny?: boolean })[] = chain.map((c) => c.profile);
  if (decision.known) layers.push({ ...decision.known.allow, execAny: decision.known.execAny });
  layers.push(...decision.allow);
  // IMPORTANT: the project root itself is writable only for root scripts under the project profile.
  const allowProjectWrite = identity.isRoot && chain.some((c) => c.name === 'project');
  if (chain.some((c) => c.name === 'project') && !identity.isRoot) reasons.push('the project profile grants the project tree to root scripts only');

  const addPaths = (patterns: string[] | undefined, access: 'read' | 'write' | 'protect', into: string[]) => {
    for (const pattern of patterns ?? []) {
      const r = resolvePathPattern(pattern, ctx, { access, allowProjectWrite, realpath });
      if ('refused' in r) refused.push({ pattern, reason: r.refused });
      else if (!into.includes(r.path)) into.push(r.path);
    }
  };
  const addNames = (names: string[] | undefined, into: string[]) => {
    for (const n of names ?? []) if (!into.includes(n)) into.push(n);
  };
  for (const layer of layers) {
    addPaths(layer.read, 'read', grant.read);
    addPaths(layer.write, 'write', grant.write);
    addPaths(layer.protect, 'protect', grant.protect);
    addNames(layer.net, grant.net);
    addNames(layer.exec, grant.exec);
    addNames(layer.env, grant.env);
    if (layer.execAny !== undefined) grant.execAny = layer.execAny;
    if (layer.timeout !== undefined) grant.timeoutMs = layer.timeout * 1000;
  }
  for (const r of refused) reasons.push(`refused ${r.pattern}: ${r.reason}`);
  return { run: decision.run, grant, profile: decision.profile, reasons, refused };
}
