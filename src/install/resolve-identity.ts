// Attribute a lifecycle script to a package from where npm runs it (its cwd) and the lockfile,
// never from the package's own package.json, which the attacker controls.
import { isAbsolute, relative, sep } from 'node:path';

/** The parts of package-lock.json (v2/v3) that identity needs. */
export interface Lockfile {
  name?: string;
  version?: string;
  packages?: Record<string, { name?: string; version?: string; resolved?: string; integrity?: string; link?: boolean }>;
}

export interface Identity {
  name: string;
  version: string;
  /** Relative to the project root (`node_modules/a/node_modules/b`), `` for the root, absolute outside it. */
  path: string;
  isRoot: boolean;
  resolved?: string;
  integrity?: string;
  /** `lockfile`: confirmed by a lockfile entry; `npm`: taken from npm's environment, to be confirmed at the end. */
  source: 'lockfile' | 'npm' | 'root';
}

/** What npm put in the script's environment about the package (set by npm before the script runs). */
export interface NpmPackageEnv {
  npm_package_name?: string;
  npm_package_version?: string;
  npm_package_resolved?: string;
  npm_package_integrity?: string;
}

// Resolve the identity of the package npm runs a script for in `cwd`.
export function resolveIdentity(input: { projectDir: string; cwd: string; lockfile?: Lockfile; rootManifest?: { name?: string; version?: string }; env: NpmPackageEnv }): Identity {
  const { projectDir, cwd, lockfile, env } = input;
  const rel = relative(projectDir, cwd);
  const inside = rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  if (rel === '') {
    return { name: input.rootManifest?.name ?? lockfile?.name ?? '(root)', version: input.rootManifest?.version ?? lockfile?.version ?? '0.0.0', path: '', isRoot: true, source: 'root' };
  }
  const path = inside ? rel.split(sep).join('/') : cwd;
  const entry = inside ? lockfile?.packages?.[path] : undefined;
  const nameFromPath = inside ? packageNameFromPath(path) : undefined;
  // An entry whose integrity disagrees with what npm just verified is stale: fall back to npm's word.
  const entryMatches = entry && entry.version && (!entry.integrity || !env.npm_package_integrity || entry.integrity === env.npm_package_integrity);
  if (entry && entryMatches) {
    return { name: entry.name ?? nameFromPath ?? env.npm_package_name ?? '(unknown)', version: entry.version!, path, isRoot: false, resolved: entry.resolved ?? env.npm_package_resolved, integrity: entry.integrity ?? env.npm_package_integrity, source: 'lockfile' };
  }
  return {
    name: nameFromPath ?? env.npm_package_name ?? '(unknown)',
    version: env.npm_package_version ?? '0.0.0',
    path,
    isRoot: false,
    resolved: env.npm_package_resolved || undefined,
    integrity: env.npm_package_integrity || undefined,
    source: 'npm',
  };
}

// The package name npm installed at a node_modules path: the segment(s) after the last `node_modules/`.
// This is the name the dependent asked for (an alias included), chosen by npm, not by the tarball.
export function packageNameFromPath(path: string): string | undefined {
  const marker = 'node_modules/';
  const at = path.lastIndexOf(marker);
  if (at === -1) return undefined;
  const tail = path.slice(at + marker.length).split('/');
  if (tail[0]?.startsWith('@') && tail[1]) return `${tail[0]}/${tail[1]}`;
  return tail[0] || undefined;
}
