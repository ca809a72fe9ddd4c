// Parity with plain npm: on the same fixture, safe-install runs the same set of lifecycle scripts
// as npm (preinstall, install, postinstall, implicit node-gyp, root scripts, git-dependency prepare),
// in an order npm allows; benign scripts and a native addon still work inside the sandbox.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { makeFixture, safeInstall, readReport, run, testEnv, writeFiles, readIfExists, REPO_ROOT, type Fixture, type PackageSpec } from '../helpers/fixture.js';

// The demo's N-API addon (examples/demo), built by the implicit node-gyp rebuild.
const ADDON_C = readFileSync(join(REPO_ROOT, 'examples', 'demo', 'packages', 'demo-addon', 'addon.c'), 'utf8');

const PACKAGES: PackageSpec[] = [
  { name: 'p-pre', scripts: { preinstall: 'echo pre' } },
  { name: 'p-install', scripts: { install: 'echo install' } },
  { name: 'p-post', scripts: { postinstall: 'node -e "require(\'fs\').writeFileSync(\'generated.js\', \'module.exports = 42\')"' } },
  { name: 'p-all', scripts: { preinstall: 'echo a', install: 'echo b', postinstall: 'echo c' } },
  { name: 'p-gyp', files: { 'binding.gyp': '{ "targets": [ { "target_name": "addon", "sources": [ "addon.c" ] } ] }', 'addon.c': ADDON_C, 'index.js': 'module.exports = require("./build/Release/addon.node");\n' } },
  { name: 'p-leaf', scripts: { postinstall: 'echo leaf' } },
  { name: 'p-parent', scripts: { postinstall: 'echo parent' }, dependencies: { 'p-leaf': '*' } },
  { name: 'p-plain' },
  { name: 'p-prepare-only', scripts: { prepare: 'echo never-for-tarballs' } },
];

interface Ran { name: string; event: string; where: 'root' | 'node_modules' | 'git-clone' }

const parity = suite('parity with plain npm');
let fx: Fixture;
let npmRan: Ran[];
let siRan: Ran[];
let siCode: number | null;
let siStderr = '';

// Add a git dependency with a prepare script, served from a local bare repository.
function addGitDependency(fixture: Fixture): string {
  const src = join(fixture.root, 'git-src');
  writeFiles(src, { 'package.json': JSON.stringify({ name: 'p-git', version: '1.0.0', scripts: { prepare: 'echo built > built.txt' }, files: ['built.txt', 'index.js'] }), 'index.js': 'module.exports = require("fs").readFileSync(__dirname + "/built.txt", "utf8").trim();\n' });
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd: src, stdio: 'ignore' });
  git('init', '-q');
  git('add', '.');
  git('commit', '-qm', 'init');
  const bare = join(fixture.root, 'p-git.git');
  execFileSync('git', ['clone', '-q', '--bare', src, bare]);
  return `git+file://${bare}`;
}

function rootManifest(fixture: Fixture, gitUrl: string) {
  const deps: Record<string, string> = {};
  for (const p of PACKAGES) if (p.name !== 'p-leaf') deps[p.name] = `file:${fixture.tarballs[p.name]}`;
  deps['p-leaf'] = `file:${fixture.tarballs['p-leaf']}`;
  deps['p-git'] = gitUrl;
  return { name: 'parity-root', version: '1.0.0', scripts: { preinstall: 'echo root-pre', postinstall: 'echo root-post', prepare: 'echo root-prepare' }, dependencies: deps };
}

function classify(path: string): Ran['where'] {
  if (path === '' || path === '.') return 'root';
  return path.includes('git-clone') ? 'git-clone' : 'node_modules';
}

parity.before(async () => {
  fx = makeFixture({ packages: PACKAGES });
  const gitUrl = addGitDependency(fx);
  writeFileSync(join(fx.project, 'package.json'), JSON.stringify(rootManifest(fx, gitUrl), null, 2));

  // Plain npm with a script shell that only logs, then runs the script with /bin/sh.
  const log = join(fx.root, 'npm-scripts.log');
  const logger = join(fx.root, 'log-shell.sh');
  writeFileSync(logger, `#!/bin/sh\nprintf '%s\\t%s\\t%s\\n' "$npm_package_name" "$npm_lifecycle_event" "$PWD" >> ${log}\nexec /bin/sh "$@"\n`, { mode: 0o755 });
  const plain = await run('npm', ['install', `--script-shell=${logger}`], { cwd: fx.project, env: testEnv(fx) });
  assert.is(plain.code, 0, plain.stderr);
  npmRan = readFileSync(log, 'utf8').trim().split('\n').map((line) => {
    const [name, event, pwd] = line.split('\t');
    return { name, event, where: classify(pwd === fx.project ? '' : pwd) };
  });

  rmSync(join(fx.project, 'node_modules'), { recursive: true, force: true });
  rmSync(join(fx.project, 'package-lock.json'), { force: true });
  const si = await safeInstall(fx, ['install']);
  siCode = si.code;
  siStderr = si.stderr;
  siRan = readReport(fx).scripts.map((s: { name: string; event: string; path: string }) => ({ name: s.name, event: s.event, where: classify(s.path) }));
});

parity.after(() => fx.cleanup());

const key = (r: Ran) => `${r.name} ${r.event} ${r.where}`;

parity('safe-install succeeds on the fixture', () => {
  assert.is(siCode, 0, siStderr);
});

parity('runs the same scripts as plain npm (as a multiset)', () => {
  assert.equal(siRan.map(key).sort(), npmRan.map(key).sort());
});

parity('covers every kind of install-time script', () => {
  const keys = new Set(siRan.map(key));
  for (const expected of [
    'p-pre preinstall node_modules', 'p-install install node_modules', 'p-post postinstall node_modules',
    'p-all preinstall node_modules', 'p-all install node_modules', 'p-all postinstall node_modules',
    'p-gyp install node_modules', 'p-leaf postinstall node_modules', 'p-parent postinstall node_modules',
    'parity-root preinstall root', 'parity-root postinstall root', 'parity-root prepare root', 'p-git prepare git-clone',
  ]) assert.ok(keys.has(expected), `ran: ${expected}`);
  assert.not.ok([...keys].some((k) => k.startsWith('p-prepare-only')), 'npm never runs prepare of a tarball dependency');
});

parity('keeps an order npm allows: per package pre < install < post; root scripts after dependencies', () => {
  const order = ['preinstall', 'install', 'postinstall'];
  const byPackage = new Map<string, string[]>();
  for (const r of siRan.filter((r) => r.where === 'node_modules')) byPackage.set(r.name, [...(byPackage.get(r.name) ?? []), r.event]);
  for (const [name, events] of byPackage) {
    const ranks = events.map((e) => order.indexOf(e)).filter((i) => i >= 0);
    assert.equal(ranks, [...ranks].sort(), `${name}: ${events.join(',')}`);
  }
  const lastDep = Math.max(...siRan.map((r, i) => (r.where === 'node_modules' ? i : -1)));
  const rootPost = siRan.findIndex((r) => r.where === 'root' && r.event === 'postinstall');
  assert.ok(rootPost > lastDep, 'root postinstall after all dependency scripts');
  const leaf = siRan.findIndex((r) => r.name === 'p-leaf');
  const parent = siRan.findIndex((r) => r.name === 'p-parent');
  assert.ok(leaf < parent, 'a dependency builds before its dependent');
});

parity('identities come from the lockfile', () => {
  const report = readReport(fx);
  const post = report.scripts.find((s: { name: string }) => s.name === 'p-post');
  assert.is(post.package, 'p-post@1.0.0');
  assert.is(post.identitySource, 'lockfile');
  assert.is(post.path, 'node_modules/p-post');
  assert.ok(post.integrity?.startsWith('sha512-'), 'integrity recorded');
});

parity('a postinstall writing into its own directory works', () => {
  assert.is(readIfExists(join(fx.project, 'node_modules', 'p-post', 'generated.js')), 'module.exports = 42');
});

parity('a binding.gyp addon compiles inside the sandbox and loads', () => {
  const out = execFileSync(process.execPath, ['-e', 'console.log(require("p-gyp").add(2, 3))'], { cwd: fx.project, encoding: 'utf8' });
  assert.is(out.trim(), '5');
});

parity('the git dependency was prepared', () => {
  const out = execFileSync(process.execPath, ['-e', 'console.log(require("p-git"))'], { cwd: fx.project, encoding: 'utf8' });
  assert.is(out.trim(), 'built');
});

parity.run();
