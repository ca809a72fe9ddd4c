// Build real npm projects for tests: packages written from literal file maps, packed as tarballs
// with tar, a fake HOME full of canary secrets, and a way to run the built safe-install CLI.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, readFileSync, existsSync, rmSync, readdirSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const CLI = join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js');

/** Canary values planted in the fake HOME and environment; none may ever leave. */
export const CANARY = {
  npmToken: 'npm_CANARYnpmrcTOKEN000000000000000000',
  envToken: 'CANARY_ENV_TOKEN_1234567890',
  ssh: 'CANARY-SSH-PRIVATE-KEY',
  aws: 'CANARY_AWS_SECRET_abcdef',
};

export type Files = Record<string, string>;

export interface PackageSpec {
  name: string;
  version?: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  bin?: Record<string, string>;
  files?: Files;
  extra?: Record<string, unknown>;
}

export interface Fixture {
  root: string;
  project: string;
  home: string;
  /** Tarball path of a packed package, by name. */
  tarballs: Record<string, string>;
  cleanup(): void;
}

// Create a temp area with a project dir, a fake HOME with canaries, and packed tarballs.
export function makeFixture(opts: { packages?: PackageSpec[]; root?: Record<string, unknown>; rootFiles?: Files; git?: boolean } = {}): Fixture {
  const root = mkdtempSync(join(tmpdir(), 'si-test-'));
  const project = join(root, 'project');
  const home = join(root, 'home');
  mkdirSync(project, { recursive: true });
  plantHome(home);
  const tarballs: Record<string, string> = {};
  for (const spec of opts.packages ?? []) tarballs[spec.name] = packPackage(join(root, 'packages'), spec);
  const rootManifest = { name: 'fixture-project', version: '1.0.0', ...(opts.root ?? {}) } as Record<string, unknown>;
  // `tarball:<name>` in dependencies means the packed fixture package.
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
    const deps = rootManifest[field] as Record<string, string> | undefined;
    if (!deps) continue;
    for (const [dep, spec] of Object.entries(deps)) if (spec.startsWith('tarball:')) deps[dep] = `file:${tarballs[spec.slice(8)]}`;
  }
  writeFileSync(join(project, 'package.json'), `${JSON.stringify(rootManifest, null, 2)}\n`);
  writeFiles(project, opts.rootFiles ?? {});
  if (opts.git) {
    execFileSync('git', ['init', '-q'], { cwd: project });
    mkdirSync(join(project, '.github', 'workflows'), { recursive: true });
    writeFileSync(join(project, '.github', 'workflows', 'ci.yml'), 'name: ci\n');
  }
  return { root, project, home, tarballs, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

// Plant canary secrets where real attacks look for them.
export function plantHome(home: string): void {
  writeFiles(home, {
    '.npmrc': `//registry.npmjs.org/:_authToken=${CANARY.npmToken}\n`,
    '.ssh/id_rsa': `-----BEGIN OPENSSH PRIVATE KEY-----\n${CANARY.ssh}\n-----END OPENSSH PRIVATE KEY-----\n`,
    '.aws/credentials': `[default]\naws_secret_access_key = ${CANARY.aws}\n`,
    '.bashrc': '# fixture bashrc\n',
    '.config/gh/hosts.yml': `github.com:\n  oauth_token: ${CANARY.envToken}\n`,
  });
  mkdirSync(join(home, '.npm'), { recursive: true });
}

// Write a package directory and pack it as npm would (package/ prefix) with tar.
export function packPackage(dir: string, spec: PackageSpec): string {
  const slug = spec.name.replace('@', '').replace('/', '-');
  const pkgRoot = join(dir, `${slug}-${spec.version ?? '1.0.0'}`);
  const manifest = { name: spec.name, version: spec.version ?? '1.0.0', scripts: spec.scripts, dependencies: spec.dependencies, bin: spec.bin, ...(spec.extra ?? {}) };
  writeFiles(join(pkgRoot, 'package'), { 'package.json': JSON.stringify(manifest, null, 2), 'index.js': 'module.exports = 1;\n', ...(spec.files ?? {}) });
  const tarball = `${pkgRoot}.tgz`;
  execFileSync('tar', ['-czf', tarball, '-C', pkgRoot, 'package']);
  return tarball;
}

export function writeFiles(dir: string, files: Files): void {
  for (const [name, content] of Object.entries(files)) {
    const file = join(dir, name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content, { mode: name.endsWith('.sh') ? 0o755 : 0o644 });
  }
}

/** Environment for a test install: the machine's PATH and npm settings, the fake HOME, canary tokens. */
export function testEnv(fixture: Fixture, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: fixture.home,
    LANG: 'C.UTF-8',
    npm_config_cache: join(fixture.root, 'npm-cache'),
    npm_config_nodedir: process.env.npm_config_nodedir ?? '/usr',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    NPM_TOKEN: CANARY.envToken,
    GITHUB_TOKEN: CANARY.envToken,
    AWS_SECRET_ACCESS_KEY: CANARY.aws,
    ...extra,
  };
}

export interface RunResult { code: number | null; stdout: string; stderr: string }

// Run a command to completion, capturing output.
export function run(file: string, args: string[], options: { cwd: string; env: Record<string, string>; timeoutMs?: number }): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 240_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

// Run the built safe-install CLI in the fixture's project.
export function safeInstall(fixture: Fixture, args: string[], extraEnv: Record<string, string> = {}): Promise<RunResult> {
  return run(process.execPath, [CLI, ...args], { cwd: fixture.project, env: testEnv(fixture, extraEnv) });
}

// Read the JSON report of the last run.
export function readReport(fixture: Fixture, file = join(fixture.project, 'node_modules', '.safe-install', 'report.json')): any {
  return JSON.parse(readFileSync(file, 'utf8'));
}

// Hash every file under the given paths, to prove they are byte-for-byte unchanged.
export function snapshot(paths: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (path: string) => {
    if (!existsSync(path)) {
      out[path] = '(absent)';
      return;
    }
    const stat = statSync(path);
    if (stat.isDirectory()) for (const name of readdirSync(path).sort()) walk(join(path, name));
    else out[path] = createHash('sha256').update(readFileSync(path)).digest('hex');
  };
  for (const path of paths) walk(path);
  return out;
}

export function readIfExists(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
