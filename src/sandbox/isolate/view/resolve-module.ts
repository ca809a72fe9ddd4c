// Node's module resolution over a small file interface, so that the static scan and the isolate's
// loaders resolve exactly alike: `require` (relative paths with extension and index search,
// node_modules lookup, package.json `main` and `exports` with the require conditions, JSON) and
// `import` (exact relative paths and file: URLs, `exports` with the import conditions, legacy `main`).
// Pure apart from that interface.

export interface ModuleFs {
  isFile(path: string): boolean;
  isDir(path: string): boolean;
  readText(path: string): string;
}

/** What a request resolves to. `format` tells the loader (and the scan) what it is. */
export type Resolution =
  | { builtin: string }
  | { filename: string; format: 'js' | 'json' | 'addon' | 'esm' };

/** `require` or `import`: which `exports` conditions apply and how strictly relative paths match. */
export type ResolveMode = 'require' | 'import';
const CONDITIONS: Record<ResolveMode, ReadonlySet<string>> = {
  require: new Set(['node', 'require', 'default', 'node-addons']),
  import: new Set(['node', 'import', 'default', 'node-addons']),
};

// Resolve `request` as `require` (or `import`) would from `fromFile` (null: the entry, relative to `cwd`).
export function resolveModule(fsx: ModuleFs, request: string, fromFile: string | null, cwd: string, isBuiltin: (name: string) => boolean, mode: ResolveMode = 'require'): Resolution | undefined {
  if (request.startsWith('node:')) return { builtin: request.slice(5) };
  if (mode === 'import' && request.startsWith('file:')) {
    try {
      request = decodeURIComponent(new URL(request).pathname);
    } catch {
      return undefined;
    }
  }
  const baseDir = fromFile === null ? cwd : dirname(fromFile);
  const relative = request === '.' || request === '..' || request.startsWith('./') || request.startsWith('../') || request.startsWith('/');
  // `node install` runs ./install.js: the entry is always a path, found as `require` finds it.
  if (relative || fromFile === null) {
    const target = request.startsWith('/') ? normalize(request) : normalize(`${baseDir}/${request}`);
    // `import` takes a relative path as written: no extension or index search.
    if (mode === 'import' && fromFile !== null) return classify(fsx, fsx.isFile(target) ? target : undefined);
    return classify(fsx, loadAsFile(fsx, target) ?? loadAsDirectory(fsx, target));
  }
  if (isBuiltin(request)) return { builtin: request };
  const [name, subpath] = splitPackage(request);
  for (let dir = baseDir; ; dir = dirname(dir)) {
    if (!dir.endsWith('/node_modules')) {
      const pkgDir = `${dir === '/' ? '' : dir}/node_modules/${name}`;
      if (fsx.isDir(pkgDir)) {
        const found = loadPackage(fsx, pkgDir, subpath, mode);
        if (found) return classify(fsx, found);
      }
    }
    if (dir === '/') return undefined;
  }
}

function loadPackage(fsx: ModuleFs, pkgDir: string, subpath: string, mode: ResolveMode): string | undefined {
  const manifest = readManifest(fsx, pkgDir);
  if (manifest?.exports !== undefined && manifest.exports !== null) {
    const target = resolveExports(manifest.exports, subpath === '' ? '.' : `./${subpath}`, mode);
    if (target === undefined) return undefined;
    const file = normalize(`${pkgDir}/${target}`);
    return fsx.isFile(file) ? file : undefined;
  }
  const target = subpath === '' ? pkgDir : `${pkgDir}/${subpath}`;
  // `import 'pkg/sub/file.js'` is exact; the package's own `main` keeps the legacy search.
  if (mode === 'import' && subpath !== '') return fsx.isFile(target) ? target : undefined;
  return loadAsFile(fsx, target) ?? loadAsDirectory(fsx, target);
}

// Pick the target of `exports` for a subpath, with the conditions of `require` or `import`.
export function resolveExports(exports: unknown, subpath: string, mode: ResolveMode = 'require'): string | undefined {
  let map: Record<string, unknown>;
  if (typeof exports === 'string' || Array.isArray(exports) || (typeof exports === 'object' && exports && !Object.keys(exports).some((k) => k.startsWith('.')))) map = { '.': exports };
  else map = exports as Record<string, unknown>;
  const pickTarget = (target: unknown, star: string) => pick(target, star, CONDITIONS[mode]);
  if (subpath in map) return pickTarget(map[subpath], '');
  // Patterns: "./lib/*": "./dist/*.js"
  for (const key of Object.keys(map)) {
    const star = key.indexOf('*');
    if (star < 0) {
      if (key.endsWith('/') && subpath.startsWith(key)) return pickTarget(map[key], '')?.concat(subpath.slice(key.length));
      continue;
    }
    const [pre, post] = [key.slice(0, star), key.slice(star + 1)];
    if (subpath.startsWith(pre) && subpath.endsWith(post) && subpath.length >= key.length - 1) return pickTarget(map[key], subpath.slice(pre.length, subpath.length - post.length));
  }
  return undefined;
}

function pick(target: unknown, star: string, conditions: ReadonlySet<string>): string | undefined {
  if (typeof target === 'string') return target.replaceAll('*', star);
  if (Array.isArray(target)) {
    for (const t of target) {
      const r = pick(t, star, conditions);
      if (r) return r;
    }
    return undefined;
  }
  if (target && typeof target === 'object') {
    for (const [condition, value] of Object.entries(target)) if (conditions.has(condition)) {
      const r = pick(value, star, conditions);
      if (r) return r;
    }
  }
  return undefined;
}

function loadAsFile(fsx: ModuleFs, path: string): string | undefined {
  for (const candidate of [path, `${path}.js`, `${path}.json`, `${path}.node`]) if (fsx.isFile(candidate)) return candidate;
  return undefined;
}

function loadAsDirectory(fsx: ModuleFs, dir: string): string | undefined {
  if (!fsx.isDir(dir)) return undefined;
  const main = readManifest(fsx, dir)?.main;
  if (typeof main === 'string' && main) {
    const target = normalize(`${dir}/${main}`);
    const found = loadAsFile(fsx, target) ?? loadIndex(fsx, target);
    if (found) return found;
  }
  return loadIndex(fsx, dir);
}

function loadIndex(fsx: ModuleFs, dir: string): string | undefined {
  for (const name of ['index.js', 'index.json', 'index.node']) if (fsx.isFile(`${dir}/${name}`)) return `${dir}/${name}`;
  return undefined;
}

// Decide the format: JSON, a native addon, an ES module (by extension or the nearest "type"), or CommonJS.
function classify(fsx: ModuleFs, file: string | undefined): Resolution | undefined {
  if (!file) return undefined;
  if (file.endsWith('.json')) return { filename: file, format: 'json' };
  if (file.endsWith('.node')) return { filename: file, format: 'addon' };
  if (file.endsWith('.mjs')) return { filename: file, format: 'esm' };
  if (file.endsWith('.cjs')) return { filename: file, format: 'js' };
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const manifest = readManifest(fsx, dir);
    if (manifest) return { filename: file, format: manifest.type === 'module' ? 'esm' : 'js' };
    if (dir === '/' || dir.endsWith('/node_modules')) return { filename: file, format: 'js' };
  }
}

function readManifest(fsx: ModuleFs, dir: string): { main?: unknown; exports?: unknown; type?: unknown } | undefined {
  const file = `${dir === '/' ? '' : dir}/package.json`;
  if (!fsx.isFile(file)) return undefined;
  try {
    const parsed = JSON.parse(fsx.readText(file));
    return parsed && typeof parsed === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function splitPackage(request: string): [string, string] {
  const parts = request.split('/');
  const n = request.startsWith('@') ? 2 : 1;
  return [parts.slice(0, n).join('/'), parts.slice(n).join('/')];
}

export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

export function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (!part || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}
