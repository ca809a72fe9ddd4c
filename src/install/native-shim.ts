// The script shell in C (native-shim.c): built on first use with the system C compiler and kept,
// keyed by a hash of its source and compiler, next to safe-install (or in the user's cache when
// safe-install's own directory is read-only). Starting node for every lifecycle script costs about
// 60 ms on a small machine; the C shim starts in about 1 ms. Without a compiler, or when the build
// fails, safe-install keeps using shim.ts (the same protocol and behaviour).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** safe-install's own directory (the one holding package.json and src/). */
const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SOURCE = join(PACKAGE_ROOT, 'src', 'install', 'native-shim.c');

export interface NativeShim {
  /** The binary, or undefined with the reason safe-install uses the node shim. */
  path?: string;
  reason?: string;
}

// Find (or build) the native shim. SAFE_INSTALL_NATIVE_SHIM=0 turns it off.
export function nativeShim(env: NodeJS.ProcessEnv = process.env): NativeShim {
  if (env.SAFE_INSTALL_NATIVE_SHIM === '0') return { reason: 'turned off (SAFE_INSTALL_NATIVE_SHIM=0)' };
  if (process.platform !== 'linux') return { reason: `not built on ${process.platform}` };
  let source: Buffer;
  try {
    source = readFileSync(SOURCE);
  } catch {
    return { reason: `its source is missing (${SOURCE})` };
  }
  const compiler = findCompiler(env);
  if (!compiler) return { reason: 'no system C compiler (cc, gcc or clang in /usr/bin or /usr/local/bin)' };
  const key = createHash('sha256').update(source).update(compiler).update(process.arch).digest('hex').slice(0, 16);
  const name = `native-shim-${key}`;
  for (const dir of cacheDirs(env)) {
    const binary = join(dir, name);
    if (existsSync(binary)) return { path: binary };
  }
  let lastError = 'no writable directory for the binary';
  for (const dir of cacheDirs(env)) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o755 });
      accessSync(dir, constants.W_OK);
    } catch {
      continue;
    }
    const binary = join(dir, name);
    // Built under a private name, then renamed: a concurrent install never runs a half-written binary.
    const temp = `${binary}.${process.pid}.tmp`;
    const r = spawnSync(compiler, ['-O2', '-o', temp, SOURCE], { encoding: 'utf8', timeout: 60_000, env: { PATH: env.PATH ?? '/usr/bin:/bin', LANG: 'C' } });
    if (r.status === 0 && existsSync(temp)) {
      renameSync(temp, binary);
      // Builds of older sources are of no more use (another install's build in progress ends in .tmp).
      for (const old of readdirSync(dir)) if (old.startsWith('native-shim-') && old !== name && !old.endsWith('.tmp')) rmSync(join(dir, old), { force: true });
      return { path: binary };
    }
    rmSync(temp, { force: true });
    lastError = `the build failed (${compiler}: ${String(r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n')[0].slice(0, 200)})`;
    break;
  }
  return { reason: lastError };
}

// Where the binary lives: next to safe-install when that is writable (a checkout, a user install),
// else the user's cache.
function cacheDirs(env: NodeJS.ProcessEnv): string[] {
  const cache = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return [join(PACKAGE_ROOT, 'dist', 'native'), join(cache, 'safe-install')];
}

// The system compiler only, by absolute path: PATH may hold node_modules/.bin, where a package could
// shadow `cc` (this runs outside any sandbox).
const COMPILERS = ['/usr/bin/cc', '/usr/bin/gcc', '/usr/bin/clang', '/usr/local/bin/cc', '/usr/local/bin/gcc', '/usr/local/bin/clang', '/bin/cc'];
function findCompiler(_env: NodeJS.ProcessEnv): string | undefined {
  for (const candidate of COMPILERS) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // next
    }
  }
  return undefined;
}
