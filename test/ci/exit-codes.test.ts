// Each exit status of docs/exit-codes.md, produced by a real scenario: the built CLI, real npm, real
// bubblewrap (or a host where bubblewrap cannot work), packages packed from literal file maps.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { CLI, makeFixture, run, safeInstall, readReport, testEnv, type Fixture } from '../helpers/fixture.js';

const test = suite('exit codes');
const fixtures: Fixture[] = [];
const fixture = (...args: Parameters<typeof makeFixture>) => {
  const fx = makeFixture(...args);
  fixtures.push(fx);
  return fx;
};
const builder = { name: 'builder', scripts: { postinstall: 'node -e "require(\'fs\').writeFileSync(\'built.txt\', \'ok\')"' } };

test.after(() => {
  for (const fx of fixtures) fx.cleanup();
});

test('0: clean: npm succeeds and every script stays within its grant (--ci)', async () => {
  const fx = fixture({ packages: [builder], root: { dependencies: { builder: 'tarball:builder' } } });
  const result = await safeInstall(fx, ['install', '--ci']);
  assert.is(result.code, 0, result.stderr);
  assert.ok(existsSync(join(fx.project, 'node_modules', 'builder', 'built.txt')), 'the script ran');
  const findings = readReport(fx).findings.map((f: any) => `${f.level} ${f.rule}`);
  assert.equal(findings.filter((f: string) => !f.startsWith('note ')), [], 'no error or warning');
  assert.ok(findings.includes('note lock-missing'), 'a note says there is no behaviour lock to compare with');
  assert.not.ok(existsSync(join(fx.project, 'safe-install.lock.json')), '--ci does not write the lock');
});

test('1: --ci with an unapproved package under unlisted "deny" fails before npm runs, listing it', async () => {
  const fx = fixture({
    packages: [builder, { name: 'refused', scripts: { postinstall: 'touch ran.txt' } }, { name: 'explicitly-denied', scripts: { install: 'touch ran.txt' } }, { name: 'plain' }],
    root: { dependencies: { builder: 'tarball:builder', refused: 'tarball:refused', 'explicitly-denied': 'tarball:explicitly-denied', plain: 'tarball:plain' } },
  });
  writeFileSync(join(fx.project, 'safe-install.policy.json'), JSON.stringify({ unlisted: 'deny', packages: { builder: {}, 'explicitly-denied': { run: false } } }));
  execFileSync('npm', ['install', '--package-lock-only', '--ignore-scripts'], { cwd: fx.project, env: testEnv(fx), stdio: 'ignore' });
  const result = await safeInstall(fx, ['ci', '--ci']);
  assert.is(result.code, 1, result.stderr);
  assert.not.ok(existsSync(join(fx.project, 'node_modules', 'builder')), 'npm never ran: nothing was installed');
  const report = readReport(fx);
  assert.is(report.npm.exitCode, null);
  assert.equal(report.findings.map((f: any) => `${f.level} ${f.rule} ${f.package} ${f.path}`), ['error script-denied refused@1.0.0 node_modules/refused'], 'approved, explicitly denied and script-less packages are not listed');
  assert.match(result.stderr, 'safe-install approve refused@1.0.0');
});

test('2: usage error: a bad flag value', async () => {
  const fx = fixture();
  const result = await safeInstall(fx, ['install', '--trace', 'everything']);
  assert.is(result.code, 2);
  assert.match(result.stderr, '--trace must be narrow, full or off, got "everything" (EUSAGE)');
});

test('2: policy error: a broken policy file, located', async () => {
  const fx = fixture({ packages: [builder], root: { dependencies: { builder: 'tarball:builder' } } });
  writeFileSync(join(fx.project, 'safe-install.policy.json'), '{\n  "unlisted": "maybe"\n}\n');
  const result = await safeInstall(fx, ['install', '--ci']);
  assert.is(result.code, 2);
  assert.match(result.stderr, /unlisted: not an allowed value .*safe-install\.policy\.json:2:15/);
  assert.not.ok(existsSync(join(fx.project, 'node_modules')), 'nothing ran');
});

test('2: a broken behaviour lock stops the run before npm, like a broken policy', async () => {
  const fx = fixture({ packages: [builder], root: { dependencies: { builder: 'tarball:builder' } } });
  writeFileSync(join(fx.project, 'safe-install.lock.json'), '{\n<<<<<<< HEAD\n');
  const result = await safeInstall(fx, ['install', '--ci']);
  assert.is(result.code, 2);
  assert.match(result.stderr, 'safe-install.lock.json is not valid JSON');
  assert.not.ok(existsSync(join(fx.project, 'node_modules')), 'nothing ran');
});

test('2: usage error: `lock update` with no install report to record', async () => {
  const fx = fixture();
  const result = await safeInstall(fx, ['lock', 'update']);
  assert.is(result.code, 2);
  assert.match(result.stderr, 'no install report at');
  assert.match(result.stderr, 'hint: run `safe-install install` (or `safe-install ci`) first');
});

test('3: sandbox unavailable: bubblewrap missing (SAFE_INSTALL_BWRAP test hook)', async () => {
  const fx = fixture({ packages: [builder], root: { dependencies: { builder: 'tarball:builder' } } });
  const result = await safeInstall(fx, ['install', '--ci'], { SAFE_INSTALL_BWRAP: '/nonexistent/bwrap' });
  assert.is(result.code, 3, result.stderr);
  assert.match(result.stderr, 'SAFE_INSTALL_BWRAP names /nonexistent/bwrap, which does not exist, so lifecycle scripts cannot be confined. (ESANDBOX_UNAVAILABLE)');
  assert.not.ok(existsSync(join(fx.project, 'node_modules')), 'npm never ran: no script ran unconfined');
});

test('3: sandbox unavailable: user namespaces refused (run inside bwrap --disable-userns)', async () => {
  const fx = fixture({ packages: [builder], root: { dependencies: { builder: 'tarball:builder' } } });
  const result = await run('bwrap', ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--bind', fx.root, fx.root, '--unshare-user', '--disable-userns', '--', process.execPath, CLI, 'install', '--ci'], { cwd: fx.project, env: testEnv(fx) });
  assert.is(result.code, 3, result.stderr);
  assert.match(result.stderr, /bubblewrap cannot create its namespaces here: .*namespace/);
  assert.not.ok(existsSync(join(fx.project, 'node_modules')), 'npm never ran');
});

test('npm\'s own failure passes through with npm\'s exit code', async () => {
  const fx = fixture({ root: { dependencies: { missing: 'file:/nonexistent/missing-1.0.0.tgz' } } });
  const plain = await run('npm', ['install'], { cwd: fx.project, env: testEnv(fx) });
  assert.ok(plain.code !== null && plain.code > 3, `plain npm fails with its own code (${plain.code})`);
  const result = await safeInstall(fx, ['install', '--ci']);
  assert.is(result.code, plain.code, result.stderr);
  assert.is(readReport(fx).npm.exitCode, plain.code);
  assert.match(result.stderr, `exit ${plain.code}: npm failed (its own exit code)`);
});

test.run();
