// The gates in real installs (real npm, real bwrap, packages packed from literal file maps, loopback
// servers only): one fixture per gate, run with --ci and at a terminal (node-pty, the prompt answered).
// Every finding lands in the report; the decision follows the policy; when a gate refuses, npm never
// runs, so no script runs: the marker files the scripts would write stay absent.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeFixture, packPackage, readReport, run, safeInstall, testEnv, type Fixture, type PackageSpec } from '../helpers/fixture.js';
import { makeGitDependency, ptySafeInstall, startRegistryStub, type RegistryStub } from './helpers.js';

const MARK = 'echo ran > ran.txt';
// In node_modules: the tamper witness reports new files in the project root itself.
const ROOT_MARK = 'echo ran > node_modules/.root-ran';

interface Finding { rule: string; level: string; package?: string; message: string }

// The gate findings of the last run's report, as `level rule package`.
function gateFindings(fx: Fixture): string[] {
  return (readReport(fx).findings as Finding[]).filter((f) => ['exotic-source', 'fresh-release', 'shadowed-command', 'gyp-command', 'new-install-script'].includes(f.rule)).map((f) => `${f.level} ${f.rule} ${f.package}`);
}

function finding(fx: Fixture, rule: string, pkg: string): Finding {
  const found = (readReport(fx).findings as Finding[]).find((f) => f.rule === rule && f.package === pkg);
  assert.ok(found, `a ${rule} finding for ${pkg}`);
  return found!;
}

// Start each run from the same project: no node_modules, no lockfile, no markers, the given policy.
function reset(fx: Fixture, policy?: unknown): void {
  for (const name of ['node_modules', 'package-lock.json', 'safe-install.policy.json', 'safe-install.lock.json']) rmSync(join(fx.project, name), { recursive: true, force: true });
  if (policy) writeFileSync(join(fx.project, 'safe-install.policy.json'), JSON.stringify(policy, null, 2));
}

const exists = (fx: Fixture, path: string) => existsSync(join(fx.project, path));

// Answer the gate prompt at a terminal with `key` and return the exit code and screen.
async function answerAtTerminal(fx: Fixture, key: string, env: Record<string, string> = {}, args = ['install']): Promise<{ exitCode: number; screen: string }> {
  const pty = ptySafeInstall(fx, args, env);
  await pty.waitFor('Allow? [y/n]');
  pty.press(key);
  const { exitCode } = await pty.exited;
  return { exitCode, screen: pty.text() };
}

// ---
// PhantomRaven: a dependency fetched from a URL by another dependency; plus the project's own git dependency.
const exotic = suite('gate: exotic sources');
let exoticFx: Fixture;
let urlServer: RegistryStub;
exotic.before(async () => {
  exoticFx = makeFixture();
  urlServer = await startRegistryStub([], exoticFx.root);
  const evil = packPackage(join(exoticFx.root, 'packages'), { name: 'evil', scripts: { postinstall: MARK } });
  urlServer.serve('/npm/unused-imports.tgz', readFileSync(evil));
  const helper = packPackage(join(exoticFx.root, 'packages'), { name: 'helper', dependencies: { evil: `${urlServer.url}npm/unused-imports.tgz` } });
  const gitUrl = makeGitDependency(exoticFx.root, 'gitdep', { 'package.json': JSON.stringify({ name: 'gitdep', version: '1.0.0' }), 'index.js': '' });
  writeFileSync(join(exoticFx.project, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', scripts: { postinstall: ROOT_MARK }, dependencies: { helper: `file:${helper}`, gitdep: gitUrl } }));
});
exotic.after(async () => {
  await urlServer.close();
  exoticFx.cleanup();
});

exotic('--ci: a transitive URL dependency is refused by default and nothing runs', async () => {
  reset(exoticFx);
  const result = await safeInstall(exoticFx, ['install', '--ci']);
  assert.is(result.code, 1, result.stderr);
  assert.equal(gateFindings(exoticFx), ['error exotic-source evil@1.0.0', 'note exotic-source gitdep@1.0.0', 'note exotic-source helper@1.0.0']);
  const evil = finding(exoticFx, 'exotic-source', 'evil@1.0.0');
  assert.match(evil.message, `from a URL, not the registry: ${urlServer.url}npm/unused-imports.tgz, via node_modules/helper`);
  assert.match(evil.message, 'Refused: gates.sources.transitive is "ask", nobody to ask (--ci or no terminal)');
  assert.match(finding(exoticFx, 'exotic-source', 'gitdep@1.0.0').message, /from a git repository, not the registry: git\+file:\/\/\S*gitdep\.git#[0-9a-f]{40} \(spec "git\+file:\/\/\S*gitdep\.git"\), named in package.json. Allowed: gates.sources.direct is "allow"/);
  assert.is(readReport(exoticFx).npm.exitCode, null, 'npm never ran');
  assert.not.ok(exists(exoticFx, 'node_modules/helper') || exists(exoticFx, 'node_modules/evil'), 'nothing was installed');
  assert.not.ok(exists(exoticFx, 'node_modules/.root-ran'), 'the root postinstall did not run');
  assert.not.ok(exists(exoticFx, 'package-lock.json'), 'the pre-pass lockfile was taken back');
  assert.match(result.stderr, 'a gate refused the install; npm was not run and no script ran');
});

exotic('--ci: an allow pattern in the policy lets it through, and its script runs sandboxed', async () => {
  reset(exoticFx, { gates: { sources: { allow: [`${urlServer.url}npm/*`] } } });
  const result = await safeInstall(exoticFx, ['install', '--ci']);
  assert.is(result.code, 0, result.stderr);
  assert.match(finding(exoticFx, 'exotic-source', 'evil@1.0.0').message, `Allowed: gates.sources.allow has "${urlServer.url}npm/*"`);
  assert.is(finding(exoticFx, 'exotic-source', 'evil@1.0.0').level, 'note');
  assert.ok(exists(exoticFx, 'node_modules/evil/ran.txt'), 'evil\'s postinstall ran');
  assert.ok(exists(exoticFx, 'node_modules/.root-ran'));
});

exotic('ci --ci: npm\'s own allow-remote=root refuses it from the lockfile, even when the policy allows transitive sources', async () => {
  // (For `install`, npm itself stops the pre-pass with EALLOWREMOTE: nothing runs either.)
  reset(exoticFx, { gates: { sources: { transitive: 'allow' } } });
  const lock = await run('npm', ['install', '--package-lock-only', '--ignore-scripts'], { cwd: exoticFx.project, env: testEnv(exoticFx) });
  assert.is(lock.code, 0, lock.stderr);
  const result = await safeInstall(exoticFx, ['ci', '--ci'], { npm_config_allow_remote: 'root' });
  assert.is(result.code, 1, result.stderr);
  assert.match(finding(exoticFx, 'exotic-source', 'evil@1.0.0').message, 'Refused: npm\'s allow-remote is "root": only the project\'s package.json may name one');
  assert.not.ok(exists(exoticFx, 'node_modules/evil') || exists(exoticFx, 'node_modules/.root-ran'));
});

exotic('at a terminal: the person is asked, answers n, and nothing runs', async () => {
  reset(exoticFx);
  const { exitCode, screen } = await answerAtTerminal(exoticFx, 'n');
  assert.is(exitCode, 1);
  assert.match(screen, `evil@1.0.0 (exotic-source) wants to be installed from a URL "${urlServer.url}npm/unused-imports.tgz"`);
  assert.match(screen, `"gates": { "sources": { "allow": ["${urlServer.url}npm/unused-imports.tgz*"] } }`);
  assert.match(finding(exoticFx, 'exotic-source', 'evil@1.0.0').message, 'Refused at the prompt (gates.sources.transitive is "ask")');
  assert.not.ok(exists(exoticFx, 'node_modules/evil') || exists(exoticFx, 'node_modules/.root-ran'));
});

// ---
// A version published an hour ago, from a loopback registry whose packument carries publish times.
const fresh = suite('gate: fresh releases');
let freshFx: Fixture;
let registry: RegistryStub;
const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();
fresh.before(async () => {
  freshFx = makeFixture();
  registry = await startRegistryStub([
    { name: 'fresh-pkg', version: '1.0.0', publishedAt: hoursAgo(1), scripts: { postinstall: MARK } },
    { name: 'old-pkg', version: '1.0.0', publishedAt: hoursAgo(24 * 100), scripts: { postinstall: MARK } },
  ], freshFx.root);
  writeFileSync(join(freshFx.project, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', scripts: { postinstall: ROOT_MARK }, dependencies: { 'fresh-pkg': '^1.0.0', 'old-pkg': '^1.0.0' } }));
});
fresh.after(async () => {
  await registry.close();
  freshFx.cleanup();
});
const POLICY_2_DAYS = { gates: { freshReleases: { minAgeDays: 2 } } };

fresh('--ci: a version younger than the policy\'s minimum age is refused; an old one is not flagged', async () => {
  reset(freshFx, POLICY_2_DAYS);
  const result = await safeInstall(freshFx, ['install', '--ci'], { npm_config_registry: registry.url });
  assert.is(result.code, 1, result.stderr);
  assert.equal(gateFindings(freshFx), ['error fresh-release fresh-pkg@1.0.0']);
  assert.match(finding(freshFx, 'fresh-release', 'fresh-pkg@1.0.0').message, /was published (59|60) minutes ago \(.*\), less than the policy's 2 day minimum/);
  assert.ok(registry.requests.includes('/fresh-pkg'), 'the publish time came from the loopback registry');
  assert.not.ok(exists(freshFx, 'node_modules/fresh-pkg') || exists(freshFx, 'node_modules/old-pkg') || exists(freshFx, 'node_modules/.root-ran'), 'nothing ran');
});

fresh('at a terminal: asked, answered y, the install goes on', async () => {
  reset(freshFx, POLICY_2_DAYS);
  const { exitCode, screen } = await answerAtTerminal(freshFx, 'y', { npm_config_registry: registry.url });
  assert.is(exitCode, 0, screen);
  assert.match(screen, /fresh-pkg@1\.0\.0 \(fresh-release\) wants to install a version published "(59|60) minutes ago"/);
  assert.equal(gateFindings(freshFx), ['warning fresh-release fresh-pkg@1.0.0']);
  assert.match(finding(freshFx, 'fresh-release', 'fresh-pkg@1.0.0').message, 'Allowed at the prompt (gates.freshReleases.decision is "ask")');
  assert.ok(exists(freshFx, 'node_modules/fresh-pkg/ran.txt') && exists(freshFx, 'node_modules/.root-ran'));
});

fresh('ci --ci: npm\'s min-release-age is enforced on the lockfile (plain `npm ci` ignores it for locked versions)', async () => {
  reset(freshFx);
  const lock = await run('npm', ['install', '--package-lock-only', '--ignore-scripts'], { cwd: freshFx.project, env: testEnv(freshFx, { npm_config_registry: registry.url }) });
  assert.is(lock.code, 0, lock.stderr);
  const result = await safeInstall(freshFx, ['ci', '--ci'], { npm_config_registry: registry.url, npm_config_min_release_age: '2' });
  assert.is(result.code, 1, result.stderr);
  assert.equal(gateFindings(freshFx), ['error fresh-release fresh-pkg@1.0.0']);
  assert.match(finding(freshFx, 'fresh-release', 'fresh-pkg@1.0.0').message, /after npm's min-release-age of 2 days. Refused: npm's min-release-age is 2 days/);
  assert.not.ok(exists(freshFx, 'node_modules/fresh-pkg') || exists(freshFx, 'node_modules/.root-ran'));
});

// ---
// A dependency whose bin is called `git`: it would run for every later `git` in scripts and npm run.
const shadowed = suite('gate: shadowed commands');
let shadowFx: Fixture;
shadowed.before(() => {
  shadowFx = makeFixture({
    packages: [{ name: 'helper-bin', bin: { git: 'cli.js' }, scripts: { postinstall: MARK }, files: { 'cli.js': '#!/usr/bin/env node\nconsole.log("not git")\n' } }],
    root: { scripts: { postinstall: ROOT_MARK }, dependencies: { 'helper-bin': 'tarball:helper-bin' } },
  });
});
shadowed.after(() => shadowFx.cleanup());

shadowed('--ci: refused by default; no bin is linked and nothing runs', async () => {
  reset(shadowFx);
  const result = await safeInstall(shadowFx, ['install', '--ci']);
  assert.is(result.code, 1, result.stderr);
  assert.equal(gateFindings(shadowFx), ['note exotic-source helper-bin@1.0.0', 'error shadowed-command helper-bin@1.0.0']);
  assert.match(finding(shadowFx, 'shadowed-command', 'helper-bin@1.0.0').message, 'installs a command named "git" (node_modules/.bin/git -> cli.js)');
  assert.not.ok(exists(shadowFx, 'node_modules/.bin/git') || exists(shadowFx, 'node_modules/helper-bin') || exists(shadowFx, 'node_modules/.root-ran'));
});

shadowed('at a terminal: asked, answered y, the bin is linked', async () => {
  reset(shadowFx);
  const { exitCode, screen } = await answerAtTerminal(shadowFx, 'y');
  assert.is(exitCode, 0, screen);
  assert.match(screen, 'helper-bin@1.0.0 (shadowed-command) wants to install a command named "node_modules/.bin/git"');
  assert.match(screen, '"gates": { "shadowedCommands": { "allow": ["helper-bin"] } }');
  assert.is(finding(shadowFx, 'shadowed-command', 'helper-bin@1.0.0').level, 'warning');
  assert.ok(exists(shadowFx, 'node_modules/.bin/git') && exists(shadowFx, 'node_modules/helper-bin/ran.txt'));
});

// ---
// A binding.gyp whose command expansion writes a file: listed before the build; the build runs sandboxed
// unless the policy says otherwise.
const gyp = suite('gate: gyp commands');
let gypFx: Fixture;
const GYP = "{ 'targets': [ { 'target_name': 'addon', 'type': 'none', 'include_dirs': [ \"<!(echo gyp > gyp-ran.txt && echo .)\" ] } ] }\n";
gyp.before(() => {
  gypFx = makeFixture({
    packages: [{ name: 'native', files: { 'binding.gyp': GYP } }],
    root: { scripts: { postinstall: ROOT_MARK }, dependencies: { native: 'tarball:native' } },
  });
});
gyp.after(() => gypFx.cleanup());

gyp('--ci, default policy: the command is listed in the report and the build runs sandboxed', async () => {
  reset(gypFx);
  const result = await safeInstall(gypFx, ['install', '--ci']);
  assert.is(result.code, 0, result.stderr);
  const found = finding(gypFx, 'gyp-command', 'native@1.0.0');
  assert.is(found.level, 'note');
  assert.match(found.message, 'its node-gyp files run 1 command during the build: binding.gyp:1 <!(echo gyp > gyp-ran.txt && echo .). Allowed: gates.gypCommands.decision is "allow"');
  assert.match(result.stderr, 'listed  gyp-command', 'listed before the install');
  assert.ok(exists(gypFx, 'node_modules/native/gyp-ran.txt'), 'node-gyp ran the command inside the sandbox');
  assert.ok(readReport(gypFx).scripts.some((s: { name: string; event: string; outcome: string }) => s.name === 'native' && s.event === 'install' && s.outcome === 'ok'));
});

gyp('--ci, decision deny: refused before npm runs; the command never runs', async () => {
  reset(gypFx, { gates: { gypCommands: { decision: 'deny' } } });
  const result = await safeInstall(gypFx, ['install', '--ci']);
  assert.is(result.code, 1, result.stderr);
  assert.match(finding(gypFx, 'gyp-command', 'native@1.0.0').message, 'Refused: gates.gypCommands.decision is "deny"');
  assert.not.ok(exists(gypFx, 'node_modules/native') || exists(gypFx, 'node_modules/.root-ran'));
});

gyp('at a terminal, decision ask: asked, answered n, nothing runs', async () => {
  reset(gypFx, { gates: { gypCommands: { decision: 'ask' } } });
  const { exitCode, screen } = await answerAtTerminal(gypFx, 'n');
  assert.is(exitCode, 1, screen);
  assert.match(screen, 'native@1.0.0 (gyp-command) wants to run build commands from its gyp files "<!(echo gyp > gyp-ran.txt && echo .)"');
  assert.is(finding(gypFx, 'gyp-command', 'native@1.0.0').level, 'error');
  assert.not.ok(exists(gypFx, 'node_modules/native') || exists(gypFx, 'node_modules/.root-ran'));
});

gyp('--ci: a registry package\'s gyp files are read from its tarball (fetched into npm\'s cache) before npm runs', async () => {
  const fx = makeFixture();
  const stub = await startRegistryStub([{ name: 'native-reg', version: '2.0.0', publishedAt: hoursAgo(24 * 400), scripts: { install: 'node-gyp rebuild' }, files: { 'binding.gyp': GYP } }], fx.root);
  try {
    writeFileSync(join(fx.project, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', dependencies: { 'native-reg': '^2.0.0' } }));
    writeFileSync(join(fx.project, 'safe-install.policy.json'), JSON.stringify({ gates: { gypCommands: { decision: 'deny' } } }));
    const result = await safeInstall(fx, ['install', '--ci'], { npm_config_registry: stub.url });
    assert.is(result.code, 1, result.stderr);
    assert.match(finding(fx, 'gyp-command', 'native-reg@2.0.0').message, 'binding.gyp:1 <!(echo gyp > gyp-ran.txt && echo .). Refused: gates.gypCommands.decision is "deny"');
    assert.ok(stub.requests.includes('/native-reg/-/native-reg-2.0.0.tgz'), 'the tarball was fetched to read it');
    assert.not.ok(exists(fx, 'node_modules/native-reg'), 'nothing was extracted into the project');
  } finally {
    await stub.close();
    fx.cleanup();
  }
});

// ---
// Shai-Hulud: the project moves from dep@1.0.0 (no scripts) to dep@1.1.0, which gained a postinstall.
const newScript = suite('gate: new install scripts');
let newFx: Fixture;
let lockBefore = '';
const depManifest = (tarball: string) => JSON.stringify({ name: 'app', version: '1.0.0', scripts: { postinstall: ROOT_MARK }, dependencies: { dep: `file:${tarball}` } });
let v1 = '';
let v2 = '';
newScript.before(() => {
  newFx = makeFixture();
  const dir = join(newFx.root, 'packages');
  v1 = packPackage(dir, { name: 'dep', version: '1.0.0' } as PackageSpec);
  v2 = packPackage(dir, { name: 'dep', version: '1.1.0', scripts: { postinstall: MARK } } as PackageSpec);
});
newScript.after(() => newFx.cleanup());

// Install dep@1.0.0 with plain npm, then ask for dep@1.1.0.
async function startFromV1(): Promise<void> {
  reset(newFx);
  writeFileSync(join(newFx.project, 'package.json'), depManifest(v1));
  const plain = await run('npm', ['install', '--ignore-scripts'], { cwd: newFx.project, env: testEnv(newFx) });
  assert.is(plain.code, 0, plain.stderr);
  lockBefore = readFileSync(join(newFx.project, 'package-lock.json'), 'utf8');
  writeFileSync(join(newFx.project, 'package.json'), depManifest(v2));
}

newScript('--ci: refused; the installed version, the lockfile and the project stay as they were', async () => {
  await startFromV1();
  const result = await safeInstall(newFx, ['install', '--ci']);
  assert.is(result.code, 1, result.stderr);
  const found = finding(newFx, 'new-install-script', 'dep@1.1.0');
  assert.match(found.message, 'gained postinstall: echo ran > ran.txt; dep@1.0.0 in the previous lockfile had none. Refused: gates.newInstallScripts.decision is "ask", nobody to ask');
  assert.is(JSON.parse(readFileSync(join(newFx.project, 'node_modules/dep/package.json'), 'utf8')).version, '1.0.0');
  assert.is(readFileSync(join(newFx.project, 'package-lock.json'), 'utf8'), lockBefore, 'the pre-pass lockfile was taken back');
  assert.not.ok(exists(newFx, 'node_modules/dep/ran.txt') || exists(newFx, 'node_modules/.root-ran'));
});

newScript('at a terminal: asked, answered y, the new version installs and its script runs sandboxed', async () => {
  await startFromV1();
  const { exitCode, screen } = await answerAtTerminal(newFx, 'y');
  assert.is(exitCode, 0, screen);
  assert.match(screen, 'dep@1.1.0 (new-install-script) wants to run install scripts its previous version did not have "postinstall: echo ran > ran.txt"');
  assert.is(finding(newFx, 'new-install-script', 'dep@1.1.0').level, 'warning');
  assert.is(JSON.parse(readFileSync(join(newFx.project, 'node_modules/dep/package.json'), 'utf8')).version, '1.1.0');
  assert.ok(exists(newFx, 'node_modules/dep/ran.txt') && exists(newFx, 'node_modules/.root-ran'));
});

newScript('ci with a committed lockfile: the gates read it without a pre-pass', async () => {
  // The lockfile npm wrote for 1.1.0 at the terminal; `ci` trusts it, and the hidden lockfile of the
  // 1.1.0 install is now the previous tree, so nothing is new.
  rmSync(join(newFx.project, 'node_modules/.root-ran'), { force: true });
  const lockBefore = statSync(join(newFx.project, 'package-lock.json')).mtimeMs;
  const result = await safeInstall(newFx, ['ci', '--ci']);
  assert.is(result.code, 0, result.stderr);
  assert.equal(gateFindings(newFx), ['note exotic-source dep@1.1.0']);
  assert.not.match(result.stderr, 'package-lock-only', 'no pre-pass');
  assert.is(statSync(join(newFx.project, 'package-lock.json')).mtimeMs, lockBefore, 'the lockfile was read, not rewritten');
  assert.ok(exists(newFx, 'node_modules/dep/ran.txt'));
});

exotic.run();
fresh.run();
shadowed.run();
gyp.run();
newScript.run();
