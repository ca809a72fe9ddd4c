// Turn one path pattern into the absolute directory or file the sandbox binds, refusing any pattern
// that could widen to /, HOME, the npm cache or the project root by a trick (.., symlinks, an absolute alias).
import { realpathSync } from 'node:fs';
import { dirname, basename, join, resolve } from 'node:path';
import type { PolicyContext } from './types.js';
import { checkPathPattern, splitPathVariable, type PathVariable } from './patterns.js';

/** Resolves an existing path to its canonical form; throws when it does not exist. */
export type Realpath = (path: string) => string;

// The disk-backed realpath. This module's only I/O.
export const diskRealpath: Realpath = (p) => realpathSync.native(p);

const VARIABLE_DIR: Record<PathVariable, keyof PolicyContext> = {
  $PKG: 'pkgDir',
  $PROJECT: 'projectDir',
  $HOME: 'home',
  $TMP: 'tmp',
  $CACHE: 'cache',
};

// Tell whether child is parent or lies under it (both absolute and normalized).
export function isWithin(child: string, parent: string): boolean {
  if (parent === '/') return true;
  return child === parent || child.startsWith(parent + '/');
}

// Resolve symlinks in the longest existing ancestor of p and append the rest unchanged.
export function realpathLongest(p: string, realpath: Realpath): string {
  const tail: string[] = [];
  let cur = p;
  for (;;) {
    try {
      return tail.length === 0 ? realpath(cur) : join(realpath(cur), ...tail.slice().reverse());
    } catch {
      if (cur === '/' || cur === dirname(cur)) return p;
      tail.push(basename(cur));
      cur = dirname(cur);
    }
  }
}

export interface ResolvePathOptions {
  access: 'read' | 'write' | 'protect';
  /** Allow a write grant of the project root itself (root scripts under the project profile only). */
  allowProjectWrite: boolean;
  realpath: Realpath;
}

// Resolve one pattern for ctx: an absolute path, or the reason it is refused.
export function resolvePathPattern(pattern: string, ctx: PolicyContext, options: ResolvePathOptions): { path: string } | { refused: string } {
  const problem = checkPathPattern(pattern);
  if (problem) return { refused: problem.message };
  const { variable, rest } = splitPathVariable(pattern);
  const body = rest.endsWith('/**') ? rest.slice(0, -3) : rest;
  const base = variable ? resolve(ctx[VARIABLE_DIR[variable]]) : '/';
  const lexical = resolve(base, '.' + (body.startsWith('/') ? body : '/' + body));
  if (variable && !isWithin(lexical, base)) return { refused: `"${pattern}" escapes ${variable} with ".."` };

  const real = realpathLongest(lexical, options.realpath);
  if (variable && !isWithin(real, realpathLongest(base, options.realpath)) && !isWithin(real, base)) {
    return { refused: `"${pattern}" leaves ${variable} through a symbolic link (to ${real})` };
  }
  const { realpath } = options;
  const home = [resolve(ctx.home), realpathLongest(resolve(ctx.home), realpath)];
  const project = [resolve(ctx.projectDir), realpathLongest(resolve(ctx.projectDir), realpath)];
  const cache = [resolve(ctx.cache), realpathLongest(resolve(ctx.cache), realpath)];
  for (const candidate of new Set([lexical, real])) {
    if (candidate === '/') return { refused: `"${pattern}" resolves to /` };
    if (home.some((h) => isWithin(h, candidate))) return { refused: `"${pattern}" resolves to ${candidate}, which is HOME or contains it` };
    if (options.access === 'protect') continue;
    if (options.access === 'write') {
      if (cache.some((c) => isWithin(c, candidate))) return { refused: `"${pattern}" resolves to ${candidate}, which is the npm cache or contains it; grant a subdirectory` };
      const projectItself = project.some((p) => p === candidate);
      if (projectItself && !options.allowProjectWrite) {
        return { refused: `"${pattern}" grants writing the whole project; only root scripts under the project profile may` };
      }
      if (!projectItself && project.some((p) => isWithin(p, candidate))) return { refused: `"${pattern}" resolves to ${candidate}, which contains the project` };
    }
  }
  return { path: real };
}
