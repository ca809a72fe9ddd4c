// Tell where a package comes from, from the spec a dependent wrote and the lockfile's `resolved` (pure).
// The forms follow npm-package-arg: git (git+ssh://, git+https://, git://, github:, gitlab:, bitbucket:,
// gist:, user/repo), remote (http(s) tarball URLs), file (tarballs on disk) and directory (file: folders).
import type { SourceKind } from './types.js';

const GIT_PREFIX = /^(git\+[a-z]+:|git:|github:|gitlab:|bitbucket:|gist:)/i;
const GITHUB_SHORTHAND = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(#.*)?$/;
const TARBALL = /\.(tgz|tar\.gz|tar)$/i;

// Classify a dependency spec as written in a package.json (`^1.0.0`, `github:a/b`, `file:../x`, ...).
export function classifySpec(spec: string | undefined): SourceKind {
  if (!spec) return 'registry';
  const s = spec.trim();
  if (s.startsWith('npm:')) return 'registry'; // an alias of a registry package
  if (GIT_PREFIX.test(s)) return 'git';
  if (/^https?:\/\//i.test(s)) return /\.git(#.*)?$/i.test(s) ? 'git' : 'remote';
  if (/^file:/i.test(s)) return TARBALL.test(s.replace(/#.*$/, '')) ? 'file' : 'directory';
  if (/^(\.{1,2}\/|\/|~\/)/.test(s)) return TARBALL.test(s) ? 'file' : 'directory';
  if (!s.startsWith('@') && GITHUB_SHORTHAND.test(s)) return 'git';
  return 'registry';
}

// Classify a lockfile `resolved` value. Absent means the registry (npm's omit-lockfile-registry-resolved).
// An http(s) URL is a registry tarball only when it has the registry's `<name>/-/<file>.tgz` shape.
export function classifyResolved(resolved: string | undefined, name: string, link = false): SourceKind {
  if (link) return 'directory';
  if (!resolved) return 'registry';
  if (GIT_PREFIX.test(resolved)) return 'git';
  if (/^file:/i.test(resolved)) return TARBALL.test(resolved) ? 'file' : 'directory';
  if (/^https?:\/\//i.test(resolved)) return isRegistryTarball(resolved, name) ? 'registry' : 'remote';
  return 'directory';
}

// Tell whether an http(s) URL has the shape registries give tarballs: `.../<name>/-/<base>-<version>.tgz`.
export function isRegistryTarball(url: string, name: string): boolean {
  const base = name.startsWith('@') ? name.split('/')[1] : name;
  return url.includes(`/${name}/-/${base}-`) || url.includes(`/${name.replace('/', '%2f')}/-/${base}-`) || url.includes(`/${name.replace('/', '%2F')}/-/${base}-`);
}

// Return the registry base URL (ending in `/`) of a registry tarball URL, or undefined.
export function registryOf(resolved: string | undefined, name: string): string | undefined {
  if (!resolved || !/^https?:\/\//i.test(resolved)) return undefined;
  for (const written of [name, name.replace('/', '%2f'), name.replace('/', '%2F')]) {
    const at = resolved.indexOf(`/${written}/-/`);
    if (at !== -1) return resolved.slice(0, at + 1);
  }
  return undefined;
}

// Combine the two views: the lockfile's `resolved` is what npm fetched, the spec is what was asked for.
// A registry-shaped URL asked for by URL is still a URL dependency (anyone can host that shape).
export function classifySource(input: { resolved?: string; specs: string[]; name: string; link: boolean }): SourceKind {
  const fromResolved = classifyResolved(input.resolved, input.name, input.link);
  if (fromResolved !== 'registry') return fromResolved;
  const exotic = input.specs.map(classifySpec).find((kind) => kind !== 'registry');
  return exotic ?? 'registry';
}
