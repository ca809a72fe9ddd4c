// Before npm starts, under --ci: list the packages whose install scripts the policy will refuse because
// no entry approves them (`unlisted: "deny"`, or `"ask"` with nobody to ask). Pure: the caller passes the
// lockfile and a reader for installed manifests. An explicit deny (`run: false`) is the user's choice, not
// a deviation, so it is not listed.
import { resolveRun, type LoadedPolicy } from '../policy/index.js';
import { packageNameFromPath } from '../install/resolve-identity.js';

/** The lockfile fields the preflight reads (package-lock.json v2/v3, npm-shrinkwrap.json, the hidden lockfile). */
export interface PreflightLockfile {
  packages?: Record<string, {
    name?: string;
    version?: string;
    hasInstallScript?: boolean;
    link?: boolean;
    inBundle?: boolean;
    dev?: boolean;
    optional?: boolean;
    devOptional?: boolean;
    peer?: boolean;
    os?: string[];
    cpu?: string[];
  }>;
}

export interface RefusedScript {
  /** `name@version` from the lockfile. */
  package: string;
  name: string;
  version: string;
  /** `node_modules/...` path of the lockfile entry. */
  path: string;
  /** Why the policy refuses it: `unlisted is "deny"`, or `"ask"` with no terminal. */
  reason: string;
}

export interface FindRefusedScriptsInput {
  policy: LoadedPolicy;
  lockfile: PreflightLockfile | undefined;
  /** Dependency types npm will not install (`--omit`). @default none */
  omit?: Set<'dev' | 'optional' | 'peer'>;
  /** process.platform and process.arch, for optional platform packages npm skips. */
  platform: string;
  arch: string;
  /** The installed manifest's version and whether it has install scripts (preinstall, install, postinstall, binding.gyp). */
  installedScripts?: (path: string) => { version?: string; hasScripts: boolean } | undefined;
}

// Return the packages whose scripts will surely run and that the policy refuses without an approval, sorted by path.
// Anything this misses still fails the run at the end (choose-exit-code): the preflight only moves the failure earlier.
export function findRefusedScripts(input: FindRefusedScriptsInput): RefusedScript[] {
  const out: RefusedScript[] = [];
  for (const [path, entry] of Object.entries(input.lockfile?.packages ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!path.includes('node_modules/') || entry.link || entry.inBundle || !entry.version) continue;
    if (skippedByNpm(entry, input)) continue;
    const installed = input.installedScripts?.(path);
    const hasScripts = entry.hasInstallScript === true || (installed?.version === entry.version && installed.hasScripts);
    if (!hasScripts) continue;
    const name = entry.name ?? packageNameFromPath(path);
    if (!name) continue;
    const decision = resolveRun(input.policy, { name, version: entry.version, isRoot: false });
    if (decision.run === 'allow' || decision.reasons.some((r) => r.startsWith('denied by '))) continue;
    out.push({
      package: `${name}@${entry.version}`, name, version: entry.version, path,
      reason: decision.run === 'ask' ? 'unlisted is "ask" and --ci never asks' : `unlisted is "${input.policy.unlisted}"`,
    });
  }
  return out;
}

// npm leaves out omitted dependency types and optional packages built for another platform.
function skippedByNpm(entry: NonNullable<PreflightLockfile['packages']>[string], input: FindRefusedScriptsInput): boolean {
  const omit = input.omit ?? new Set();
  if (entry.dev && omit.has('dev')) return true;
  if (entry.optional && omit.has('optional')) return true;
  if (entry.devOptional && omit.has('dev') && omit.has('optional')) return true;
  if (entry.peer && omit.has('peer')) return true;
  if (entry.optional || entry.devOptional) {
    if (!platformMatches(entry.os, input.platform) || !platformMatches(entry.cpu, input.arch)) return true;
  }
  return false;
}

// npm's os/cpu rule: a list of allowed values, or of `!excluded` ones.
export function platformMatches(list: string[] | undefined, value: string): boolean {
  if (!list || list.length === 0) return true;
  if (list.includes(`!${value}`)) return false;
  const allowed = list.filter((v) => !v.startsWith('!'));
  return allowed.length === 0 || allowed.includes(value) || allowed.includes('any');
}
