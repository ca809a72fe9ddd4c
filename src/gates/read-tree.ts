// Turn a lockfile (package-lock.json v2/v3, npm-shrinkwrap.json or the hidden lockfile) into the list of
// installed packages the gates judge: where each comes from, who asked for it, its bins (pure).
import { packageNameFromPath } from '../install/resolve-identity.js';
import { classifySource } from './classify-source.js';
import type { TreeEntry } from './types.js';

/** The lockfile fields the gates read. */
export interface GateLockfile {
  lockfileVersion?: number;
  packages?: Record<string, LockfilePackage>;
}

export interface LockfilePackage {
  name?: string;
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  inBundle?: boolean;
  hasInstallScript?: boolean;
  bin?: Record<string, string> | string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  workspaces?: string[] | { packages?: string[] };
  os?: string[];
  cpu?: string[];
}

const DEP_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;

// Where `name` resolves from the package at `from`, by node's lookup: its own node_modules, then each parent's.
export function resolveDependencyPath(packages: Record<string, unknown>, from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = dir === '' ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
    if (candidate in packages) return candidate;
    if (dir === '') return undefined;
    const at = dir.lastIndexOf('/node_modules/');
    dir = at === -1 ? '' : dir.slice(0, at);
  }
}

// Tell whether a lockfile key is the project or one of its own folders (a workspace, a directory dependency target).
function isProjectFolder(path: string): boolean {
  return path === '' || !path.split('/').includes('node_modules');
}

// List the installed packages of `lockfile`, sorted by path. Link targets are folded into their links.
// `rootManifest` stands in for the root entry when the lockfile has none (npm's hidden lockfile).
export function readTree(lockfile: GateLockfile | undefined, rootManifest?: LockfilePackage): TreeEntry[] {
  const packages: Record<string, LockfilePackage> = { ...(lockfile?.packages ?? {}) };
  if (!packages[''] && rootManifest) packages[''] = rootManifest;
  // Every dependency edge: which installed path each spec resolves to.
  const edges = new Map<string, { from: string; spec: string }[]>();
  for (const [from, pkg] of Object.entries(packages)) {
    for (const field of DEP_FIELDS) {
      for (const [name, spec] of Object.entries(pkg[field] ?? {})) {
        const to = resolveDependencyPath(packages, from, name);
        if (to === undefined || typeof spec !== 'string') continue;
        const list = edges.get(to) ?? [];
        list.push({ from, spec });
        edges.set(to, list);
      }
    }
  }
  const out: TreeEntry[] = [];
  for (const [path, pkg] of Object.entries(packages)) {
    if (isProjectFolder(path)) continue;
    const name = packageNameFromPath(path);
    if (!name) continue;
    const incoming = edges.get(path) ?? [];
    const specs = incoming.map((e) => e.spec);
    // A link whose dependents asked for nothing exotic is a workspace: the project's own code.
    const target = pkg.link && pkg.resolved !== undefined ? packages[pkg.resolved] : undefined;
    const data = target ?? pkg;
    const realName = data.name ?? pkg.name ?? name;
    const source = classifySource({ resolved: pkg.resolved, specs, name: realName, link: pkg.link === true });
    if (pkg.link && !specs.some((s) => /^(file:|\.{1,2}\/|\/)/.test(s))) continue;
    const exoticSpec = specs.find((s) => classifySource({ specs: [s], name: realName, link: false }) !== 'registry');
    out.push({
      path,
      name,
      realName,
      version: data.version ?? pkg.version,
      resolved: pkg.resolved,
      integrity: pkg.integrity,
      link: pkg.link === true,
      source,
      spec: exoticSpec ?? specs[0],
      direct: incoming.some((e) => isProjectFolder(e.from)),
      via: [...new Set(incoming.map((e) => e.from))].sort(),
      bin: normalizeBin(data.bin, data.name ?? name),
      hasInstallScript: data.hasInstallScript === true,
      dev: pkg.dev === true,
      optional: pkg.optional === true,
    });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

// npm links a string bin under the package's name without its scope.
function normalizeBin(bin: LockfilePackage['bin'], name: string): Record<string, string> {
  if (!bin) return {};
  if (typeof bin === 'string') return { [name.startsWith('@') ? name.split('/')[1] : name]: bin };
  return bin;
}
