// Test helpers of the gates: a loopback npm registry stub with publish times, a bare git repository,
// and the built CLI run in a real pseudo-terminal.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { runInPty, type PtyRun } from '../helpers/pty.js';
import { CLI, packPackage, testEnv, writeFiles, type Files, type Fixture, type PackageSpec } from '../helpers/fixture.js';

export interface StubPackage extends Omit<PackageSpec, 'files'> {
  version: string;
  /** ISO date the registry says this version was published. */
  publishedAt: string;
  /** Files besides package.json (which is written from the spec, unless given here). */
  files?: Files;
}

export interface RegistryStub {
  /** `http://127.0.0.1:PORT/`, for `npm_config_registry`. */
  url: string;
  /** Every path requested, in order. */
  requests: string[];
  /** Serve raw bytes at a path (a tarball for a URL dependency). */
  serve(path: string, body: Buffer): void;
  close(): Promise<void>;
}

// Start a registry on 127.0.0.1 serving full packuments (with `time`) and tarballs of the given packages.
export async function startRegistryStub(packages: StubPackage[], workDir: string): Promise<RegistryStub> {
  const raw = new Map<string, Buffer>();
  const docs = new Map<string, { versions: Record<string, unknown>; time: Record<string, string>; latest: string }>();
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
    requests.push(path);
    const body = raw.get(path);
    if (body) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
      return;
    }
    const doc = docs.get(path.slice(1));
    if (!doc) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    const created = Object.values(doc.time).sort()[0];
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
      name: path.slice(1), 'dist-tags': { latest: doc.latest }, versions: doc.versions, time: { created, modified: created, ...doc.time },
    }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  for (const pkg of packages) {
    const tarball = packPackage(join(workDir, 'registry'), { ...pkg, files: pkg.files });
    const bytes = readFileSync(tarball);
    const base = pkg.name.startsWith('@') ? pkg.name.split('/')[1] : pkg.name;
    const tarPath = `/${pkg.name}/-/${base}-${pkg.version}.tgz`;
    raw.set(tarPath, bytes);
    const manifest = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' })) as Record<string, unknown>;
    const scripts = (manifest.scripts ?? {}) as Record<string, string>;
    const doc = docs.get(pkg.name) ?? { versions: {}, time: {}, latest: pkg.version };
    doc.versions[pkg.version] = {
      ...manifest,
      ...(['preinstall', 'install', 'postinstall'].some((e) => e in scripts) ? { hasInstallScript: true } : {}),
      dist: { tarball: `${url.slice(0, -1)}${tarPath}`, integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`, shasum: createHash('sha1').update(bytes).digest('hex') },
    };
    doc.time[pkg.version] = pkg.publishedAt;
    doc.latest = pkg.version;
    docs.set(pkg.name, doc);
  }
  return {
    url,
    requests,
    serve: (path, body) => raw.set(path, body),
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

// Make a bare git repository holding a package; returns its `git+file://` URL.
export function makeGitDependency(root: string, name: string, files: Files): string {
  const src = join(root, `${name}-src`);
  writeFiles(src, files);
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', '-c', 'init.defaultBranch=main', ...args], { cwd: src, stdio: 'ignore' });
  git('init', '-q');
  git('add', '.');
  git('commit', '-qm', 'init');
  const bare = join(root, `${name}.git`);
  execFileSync('git', ['clone', '-q', '--bare', src, bare]);
  return `git+file://${bare}`;
}

export type { PtyRun };

// Run `safe-install <args>` in the fixture's project inside a pseudo-terminal (stdin, stdout, stderr are a TTY).
export function ptySafeInstall(fixture: Fixture, args: string[], extraEnv: Record<string, string> = {}): PtyRun {
  return runInPty(process.execPath, [CLI, ...args], { cwd: fixture.project, env: { ...testEnv(fixture, extraEnv), TERM: 'xterm' }, cols: 200, rows: 50, defaultMs: 90_000 });
}
