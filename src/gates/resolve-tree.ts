// Find the tree npm is about to install, before it installs anything:
// - `ci`: the lockfile (npm-shrinkwrap.json, else package-lock.json) is authoritative;
// - `rebuild`: the tree already installed (npm's hidden lockfile, else package-lock.json);
// - `install`: the lockfile when it matches package.json and no packages are named; otherwise a pre-pass
//   `npm install --package-lock-only --ignore-scripts <same args>` lets npm resolve (nothing is extracted,
//   no script runs) and the lockfile it writes is the tree. The files it changed are put back when the
//   gates refuse, or when the user's arguments say not to save.
// IMPORTANT: `--package-lock-only` also rewrites node_modules/.package-lock.json (npm 11.19). Left so,
// the real install trusts that hidden lockfile, believes the new tree is already in node_modules and
// updates nothing; so it is put back, bytes and times, right after the pre-pass, whatever the gates say.
import { readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import type { GateLockfile, LockfilePackage } from './read-tree.js';

/** How the tree was found, for the report and docs/gates.md. */
export type TreeSource = 'lockfile' | 'prepass' | 'installed' | 'none';

export interface ResolvedTree {
  how: TreeSource;
  /** The lockfile file the tree was read from (relative to the project). */
  file?: string;
  lockfile?: GateLockfile;
  /** The lockfile as it was before anything ran (the previous tree, for new-install-script). */
  previous?: GateLockfile;
  /** The project's package.json (stands in for a missing root entry). */
  rootManifest?: LockfilePackage;
  /** Set when the pre-pass failed: npm's exit code and the end of its output. */
  failed?: { exitCode: number; output: string };
  prepassMs?: number;
  /** Put package.json and the lockfiles back as they were before the pre-pass. */
  restore(): void;
  /** Whether `restore` must also run when the gates pass (`--no-save`, `--no-package-lock`). */
  restoreAlways: boolean;
}

const LOCKFILES = ['npm-shrinkwrap.json', 'package-lock.json'];
const HIDDEN = 'node_modules/.package-lock.json';
const DEP_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;
// npm options that take a value, so that value is not mistaken for a package name.
const VALUE_FLAGS = new Set(['--registry', '--omit', '--include', '--before', '--min-release-age', '--tag', '--workspace', '-w', '--prefix', '-C', '--cache', '--userconfig', '--install-strategy', '--loglevel', '--allow-git', '--allow-remote', '--allow-file', '--allow-directory', '--only', '--save-prefix']);
const NO_SAVE = /^--(no-save|no-package-lock|package-lock=false|save=false)$/;

// Resolve the tree for `command` in `projectDir`; only `install` may run npm (the pre-pass).
export async function resolveTree(input: { command: 'install' | 'ci' | 'rebuild'; npmArgs: string[]; cwd: string; projectDir: string; env: NodeJS.ProcessEnv }): Promise<ResolvedTree> {
  const { projectDir } = input;
  const snapshot = takeSnapshot(projectDir, ['package.json', ...LOCKFILES]);
  const rootManifest = parse(snapshot.get('package.json')?.bytes) as LockfilePackage | undefined;
  const current = firstLockfile(projectDir, LOCKFILES);
  const hidden = firstLockfile(projectDir, [HIDDEN]);
  const base = { rootManifest, restore: () => restoreSnapshot(projectDir, snapshot), restoreAlways: false };
  if (input.command === 'ci') return { ...base, how: current ? 'lockfile' : 'none', file: current?.file, lockfile: current?.lockfile, previous: hidden?.lockfile };
  if (input.command === 'rebuild') {
    const installed = hidden ?? current;
    return { ...base, how: installed ? 'installed' : 'none', file: installed?.file, lockfile: installed?.lockfile, previous: installed?.lockfile };
  }
  // What is installed now is what this install replaces; the lockfile stands in on a fresh clone.
  const previous = hidden?.lockfile ?? current?.lockfile;
  if (current && !namesPackages(input.npmArgs) && lockfileMatches(current.lockfile, rootManifest)) {
    return { ...base, how: 'lockfile', file: current.file, lockfile: current.lockfile, previous };
  }
  const hiddenBefore = takeSnapshot(projectDir, [HIDDEN]);
  const started = Date.now();
  const prepassArgs = ['install', '--package-lock-only', '--ignore-scripts', '--script-shell=/bin/false', '--no-audit', '--no-fund', ...input.npmArgs.filter((a) => !NO_SAVE.test(a) && a !== '--package-lock-only')];
  const npm = await execa('npm', prepassArgs, { cwd: input.cwd, env: input.env, extendEnv: false, reject: false, all: true, timeout: 30 * 60_000 });
  const prepassMs = Date.now() - started;
  restoreSnapshot(projectDir, hiddenBefore);
  const restoreAlways = input.npmArgs.some((a) => NO_SAVE.test(a));
  if (npm.exitCode !== 0) {
    restoreSnapshot(projectDir, snapshot);
    return { ...base, how: 'prepass', previous, prepassMs, failed: { exitCode: npm.exitCode ?? 1, output: tail(String(npm.all ?? '')) } };
  }
  const written = firstLockfile(projectDir, LOCKFILES);
  return { ...base, how: 'prepass', file: written?.file, lockfile: written?.lockfile, previous, prepassMs, restoreAlways };
}

// Tell whether the arguments name packages to add or update (anything that is not an option or its value).
export function namesPackages(npmArgs: string[]): boolean {
  for (let i = 0; i < npmArgs.length; i++) {
    const arg = npmArgs[i];
    if (VALUE_FLAGS.has(arg)) i++;
    else if (!arg.startsWith('-')) return true;
  }
  return false;
}

// Tell whether the lockfile's root entry asks for exactly what package.json asks for (npm would keep it).
export function lockfileMatches(lockfile: GateLockfile, manifest: LockfilePackage | undefined): boolean {
  const root = lockfile.packages?.[''];
  if (!root || !manifest || (lockfile.lockfileVersion ?? 1) < 2) return false;
  if (manifest.workspaces) return false; // each workspace's package.json would need the same check: let npm do it
  return DEP_FIELDS.every((field) => sameDeps(root[field], manifest[field]));
}

function sameDeps(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ka = Object.keys(a ?? {}).sort();
  const kb = Object.keys(b ?? {}).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a![k] === b![k]);
}

function firstLockfile(projectDir: string, names: string[]): { file: string; lockfile: GateLockfile } | undefined {
  for (const file of names) {
    const lockfile = parse(read(join(projectDir, file))) as GateLockfile | undefined;
    if (lockfile && typeof lockfile === 'object' && lockfile.packages) return { file, lockfile };
  }
  return undefined;
}

type Snapshot = Map<string, { bytes: Buffer; atime: Date; mtime: Date } | undefined>;

function takeSnapshot(projectDir: string, names: string[]): Snapshot {
  return new Map(names.map((name) => {
    const file = join(projectDir, name);
    const bytes = read(file);
    if (!bytes) return [name, undefined];
    const stat = statSync(file);
    return [name, { bytes, atime: stat.atime, mtime: stat.mtime }];
  }));
}

// Put each file back byte for byte with its times (npm trusts its hidden lockfile by mtime); remove the
// ones that did not exist.
function restoreSnapshot(projectDir: string, snapshot: Snapshot): void {
  for (const [name, saved] of snapshot) {
    const file = join(projectDir, name);
    if (saved === undefined) {
      rmSync(file, { force: true });
      continue;
    }
    if (!read(file)?.equals(saved.bytes)) writeFileSync(file, saved.bytes);
    utimesSync(file, saved.atime, saved.mtime);
  }
}

function read(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

function parse(bytes: Buffer | undefined): unknown {
  if (!bytes) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

function tail(text: string): string {
  const lines = text.trimEnd().split('\n');
  return lines.slice(-15).join('\n');
}
