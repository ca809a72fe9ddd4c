// Before npm extracts anything, read what the gyp and install-script gates need from each package:
// its package.json scripts and its .gyp/.gypi files. Tarballs come from the disk (file: dependencies),
// from npm's content-addressed cache by the lockfile's integrity, or, when missing there, through
// `npm cache add` (npm's own fetch, auth and proxy); directories are read in place. Git dependencies
// are built by npm at install time and cannot be read beforehand.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { readTarball } from './read-tarball.js';
import type { TreeEntry } from './types.js';

/** What the gates read from one package's files. Untrusted content. */
export interface PackageFiles {
  /** package.json `scripts` (string values only). */
  scripts: Record<string, string>;
  /** Every *.gyp / *.gypi file: path inside the package and text. */
  gyp: { file: string; text: string }[];
}

export interface ReadPackageFilesOptions {
  projectDir: string;
  /** npm's cache directory (holds `_cacache`). */
  cache?: string;
  /** Fetch tarballs missing from the cache with `npm cache add`. @default true */
  fetchMissing?: boolean;
  env: NodeJS.ProcessEnv;
  /** npm flags to pass to `npm cache add` (`--registry=...`). */
  npmFlags?: string[];
}

const isWanted = (path: string) => path === 'package.json' || /\.gypi?$/i.test(path);

// Choose the packages worth reading: every local one (cheap), and fetched ones that have install scripts.
export function needsFiles(entry: TreeEntry): boolean {
  if (entry.source === 'git') return false;
  if (entry.source === 'file' || entry.source === 'directory') return true;
  return entry.hasInstallScript && entry.integrity !== undefined;
}

// Read the files of each entry; a package that could not be read maps to undefined.
export async function readPackageFiles(entries: TreeEntry[], options: ReadPackageFilesOptions): Promise<Map<string, PackageFiles | undefined>> {
  const out = new Map<string, PackageFiles | undefined>();
  const missing: TreeEntry[] = [];
  for (const entry of entries) {
    const files = readLocal(entry, options);
    if (files === 'missing') missing.push(entry);
    else out.set(entry.path, files);
  }
  if (missing.length > 0 && options.fetchMissing !== false && options.cache) {
    const specs = [...new Set(missing.map((e) => (e.source === 'remote' ? e.resolved! : `${e.realName}@${e.version}`)))];
    await execa('npm', ['cache', 'add', ...specs, ...(options.npmFlags ?? [])], { cwd: options.projectDir, env: options.env, extendEnv: false, reject: false, timeout: 120_000 });
  }
  for (const entry of missing) {
    const files = readLocal(entry, options);
    out.set(entry.path, files === 'missing' ? undefined : files);
  }
  return out;
}

function readLocal(entry: TreeEntry, options: ReadPackageFilesOptions): PackageFiles | undefined | 'missing' {
  try {
    if (entry.source === 'directory') return readDirectory(resolve(options.projectDir, (entry.resolved ?? '').replace(/^file:/, '')));
    if (entry.source === 'file') return fromTarball(readFileSync(resolve(options.projectDir, (entry.resolved ?? '').replace(/^file:/, ''))));
    if (!entry.integrity || !options.cache) return undefined;
    const tgz = readCacache(options.cache, entry.integrity);
    return tgz ? fromTarball(tgz) : 'missing';
  } catch {
    return undefined;
  }
}

// Read a tarball from npm's cache by integrity, checking the digest; undefined when absent or corrupt.
export function readCacache(cache: string, integrity: string): Buffer | undefined {
  const hashes = integrity.split(/\s+/).map((h) => /^(sha512|sha384|sha256|sha1)-(.+)$/.exec(h)).filter((m): m is RegExpExecArray => m !== null);
  for (const [, algorithm, digest] of hashes) {
    const hex = Buffer.from(digest, 'base64').toString('hex');
    const file = join(cache, '_cacache', 'content-v2', algorithm, hex.slice(0, 2), hex.slice(2, 4), hex.slice(4));
    let data: Buffer;
    try {
      data = readFileSync(file);
    } catch {
      continue;
    }
    if (createHash(algorithm).update(data).digest('base64') === digest) return data;
  }
  return undefined;
}

function fromTarball(tgz: Buffer): PackageFiles {
  const files = readTarball(tgz, isWanted);
  return toPackageFiles(files.get('package.json')?.toString('utf8'), [...files].filter(([p]) => p !== 'package.json').map(([file, data]) => ({ file, text: data.toString('utf8') })));
}

// Read a directory dependency in place: package.json and gyp files, skipping node_modules, bounded.
function readDirectory(dir: string): PackageFiles {
  const gyp: { file: string; text: string }[] = [];
  let budget = 5000;
  const walk = (rel: string, depth: number) => {
    if (depth > 8 || budget <= 0) return;
    for (const item of readdirSync(join(dir, rel), { withFileTypes: true })) {
      if (--budget <= 0) return;
      const path = rel ? `${rel}/${item.name}` : item.name;
      if (item.isDirectory() && item.name !== 'node_modules' && item.name !== '.git') walk(path, depth + 1);
      else if (item.isFile() && /\.gypi?$/i.test(item.name) && statSync(join(dir, path)).size <= 1024 * 1024) gyp.push({ file: path, text: readFileSync(join(dir, path), 'utf8') });
    }
  };
  walk('', 0);
  let manifest: string | undefined;
  try {
    manifest = readFileSync(join(dir, 'package.json'), 'utf8');
  } catch {
    manifest = undefined;
  }
  return toPackageFiles(manifest, gyp.sort((a, b) => (a.file < b.file ? -1 : 1)));
}

function toPackageFiles(manifestText: string | undefined, gyp: { file: string; text: string }[]): PackageFiles {
  let scripts: Record<string, string> = {};
  try {
    const raw = (JSON.parse(manifestText ?? '{}') as { scripts?: Record<string, unknown> }).scripts ?? {};
    scripts = Object.fromEntries(Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    scripts = {};
  }
  return { scripts, gyp };
}

// Tell whether npm runs install-time scripts for these files: preinstall/install/postinstall, or a
// root binding.gyp (npm then runs `node-gyp rebuild` as the install script).
export function hasInstallScripts(files: PackageFiles): boolean {
  return ['preinstall', 'install', 'postinstall'].some((e) => e in files.scripts) || files.gyp.some((g) => g.file === 'binding.gyp');
}
