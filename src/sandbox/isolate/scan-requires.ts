// Decide up front whether a script can run wholly in the isolate: follow the literal `require`s and
// `import`s from its entry through its own files and dependencies, and name the first thing the
// isolate cannot give (a native addon, an unsupported built-in, `process.binding`). A script never
// moves tiers after it started, so nothing it does is applied twice.
import { resolveModule, type ModuleFs, type ResolveMode } from './view/resolve-module.js';
import { lexImports } from './lex-imports.js';

export interface ScanResult {
  /** Undefined when the isolate can run it; else why it goes to the process tier. */
  reason?: string;
  /** Files read by the scan. */
  files: number;
}

/** The scan reads at most this many files; beyond, the rest is left to run-time errors. */
const MAX_FILES = 400;
// `require('x')`, and `__require('x')` as bundlers emit it.
const REQUIRE = /(?:^|[^\w$.]|__)require\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g;
const ESM_SYNTAX = /^\s*(import\s+[\w*{}\s,]+\s+from\s+['"]|import\s+['"]|export\s+(default|const|function|class|\{|\*))/m;
const NATIVE_BINDING = /\bprocess\.(binding|_linkedBinding|dlopen)\s*\(/;
const COMMONJS = /\bmodule\.exports\b|\bexports\.[\w$]+\s*=|\brequire\s*\(/;

interface Queued { source: string; from: string; format: 'js' | 'esm' }

// Scan from the entry file (or `-e` code evaluated in `cwd`).
export function scanRequires(fsx: ModuleFs, entry: { file: string } | { code: string }, cwd: string, isBuiltin: (name: string) => boolean): ScanResult {
  const seen = new Set<string>();
  const queue: Queued[] = [];
  if ('code' in entry) queue.push({ source: entry.code, from: `${cwd}/[eval]`, format: 'js' });
  else {
    const main = resolveModule(fsx, entry.file, null, cwd, isBuiltin);
    if (!main || 'builtin' in main) return { reason: `entry ${entry.file} not found`, files: 0 };
    if (main.format === 'addon') return { reason: `loads a native addon (${main.filename})`, files: 0 };
    seen.add(main.filename);
    if (main.format !== 'json') queue.push({ source: read(fsx, main.filename), from: main.filename, format: main.format });
  }
  while (queue.length) {
    const { source, from, format } = queue.shift()!;
    const code = stripComments(source);
    // A .js file with import/export and no CommonJS use needs Node's syntax detection (an `export` line inside a template string is text).
    if (format === 'js' && ESM_SYNTAX.test(code) && !COMMONJS.test(source)) return { reason: `ES module syntax in a CommonJS file (${from})`, files: seen.size };
    if (unguardedBinding(code)) return { reason: `uses process.binding or process.dlopen in ${from}`, files: seen.size };
    const requests: [string, ResolveMode][] = [...source.matchAll(REQUIRE)].map((m) => [m[2], 'require']);
    if (format === 'esm' || source.includes('import')) {
      const sites = lexImports(source);
      if (!sites && format === 'esm') return { reason: `cannot read the imports of ${from}`, files: seen.size };
      for (const specifier of sites?.specifiers ?? []) requests.push([specifier, 'import']);
    }
    for (const [request, mode] of requests) {
      const bare = request.startsWith('node:') ? request.slice(5) : request;
      const looksBuiltin = request.startsWith('node:') || NODE_BUILTINS.has(bare.split('/')[0]) || NODE_BUILTINS.has(bare);
      if (looksBuiltin && !isBuiltin(bare) && (request.startsWith('node:') || !hasPackage(fsx, from, bare))) return { reason: `uses the built-in "${bare}", which the isolate does not provide`, files: seen.size };
      if (looksBuiltin && isBuiltin(bare)) continue;
      const found = resolveModule(fsx, request, from, cwd, isBuiltin, mode);
      if (!found || 'builtin' in found || seen.has(found.filename)) continue; // unresolved: often an optional require in a try
      if (found.format === 'addon') return { reason: `loads a native addon (${found.filename})`, files: seen.size };
      if (found.format === 'esm' && mode === 'require') return { reason: `require() of an ES module (${found.filename})`, files: seen.size };
      seen.add(found.filename);
      if (seen.size > MAX_FILES) return { files: seen.size };
      if (found.format !== 'json') queue.push({ source: read(fsx, found.filename), from: found.filename, format: found.format });
    }
  }
  return { files: seen.size };
}

// A process.binding call outside any try block (inside one, the isolate's refusal is caught, as safer-buffer expects).
function unguardedBinding(source: string): boolean {
  for (const match of source.matchAll(new RegExp(NATIVE_BINDING.source, 'g'))) {
    const before = source.slice(Math.max(0, match.index! - 400), match.index);
    const tryAt = before.search(/\btry\s*\{[^]*$/);
    if (tryAt < 0) return true;
    let depth = 0;
    for (const c of before.slice(tryAt)) depth += c === '{' ? 1 : c === '}' ? -1 : 0;
    if (depth <= 0) return true;
  }
  return false;
}

function read(fsx: ModuleFs, file: string): string {
  try {
    return fsx.readText(file);
  } catch {
    return '';
  }
}

function hasPackage(fsx: ModuleFs, from: string | null, name: string): boolean {
  if (!from) return false;
  for (let dir = from.replace(/\/[^/]*$/, ''); dir; dir = dir.replace(/\/[^/]*$/, '')) if (fsx.isDir(`${dir}/node_modules/${name}`)) return true;
  return fsx.isDir(`/node_modules/${name}`);
}

function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
}

/** Node's built-in module names (Node 20). */
export const NODE_BUILTINS = new Set([
  'assert', 'async_hooks', 'buffer', 'child_process', 'cluster', 'console', 'constants', 'crypto', 'dgram', 'diagnostics_channel', 'dns', 'domain',
  'events', 'fs', 'http', 'http2', 'https', 'inspector', 'module', 'net', 'os', 'path', 'perf_hooks', 'process', 'punycode', 'querystring',
  'readline', 'repl', 'stream', 'string_decoder', 'sys', 'timers', 'tls', 'trace_events', 'tty', 'url', 'util', 'v8', 'vm', 'wasi', 'worker_threads', 'zlib', 'test',
]);
