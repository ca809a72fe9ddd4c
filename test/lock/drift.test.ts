// Drift end to end, with real npm and bubblewrap: a package's new version changes its postinstall and
// starts contacting a (loopback) host. The policy grants that host, so nothing is denied and the only
// thing that can fail the run is the behaviour lock: `--ci` fails with both changes named until
// `safe-install lock update` records them.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeFixture, packPackage, safeInstall, readReport, type Fixture, type PackageSpec } from '../helpers/fixture.js';
import { startCanaryServer, type CanaryServer } from '../helpers/canary-server.js';
import { hashScript } from '../../src/lock/index.js';

const test = suite('behaviour lock drift (real npm, real sandbox)');
let fx: Fixture;
let server: CanaryServer;
let v110: string;

const lockFile = () => join(fx.project, 'safe-install.lock.json');
const readLockJson = () => JSON.parse(readFileSync(lockFile(), 'utf8'));
const setDependency = (tarball: string) => {
  const manifest = JSON.parse(readFileSync(join(fx.project, 'package.json'), 'utf8'));
  manifest.dependencies.drifter = `file:${tarball}`;
  writeFileSync(join(fx.project, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
};
const driftFindings = (report: any) => report.findings.filter((f: any) => f.rule === 'drift').map((f: any) => `${f.level} ${f.package} ${f.message}`);

const v100: PackageSpec = { name: 'drifter', version: '1.0.0', scripts: { postinstall: 'node post.js' }, files: { 'post.js': "require('fs').writeFileSync('built.txt', 'ok');\n" } };
// 1.1.0: a different body, and an HTTP request through the sandbox's proxy (node ignores http_proxy by itself).
const v110Spec = (port: number): PackageSpec => ({
  name: 'drifter', version: '1.1.0', scripts: { postinstall: 'node post.js && node beacon.js' },
  files: {
    'post.js': "require('fs').writeFileSync('built.txt', 'ok');\n",
    // Through the proxy in the process tier; the isolate tier brokers a direct request.
    'beacon.js': `const p = process.env.http_proxy ? new URL(process.env.http_proxy) : undefined;
const target = p ? { host: p.hostname, port: p.port, path: 'http://127.0.0.1:${port}/beacon' } : { host: '127.0.0.1', port: ${port}, path: '/beacon' };
require('http').get({ ...target, headers: { host: '127.0.0.1:${port}' } }, (r) => { r.resume(); r.on('end', () => require('fs').writeFileSync('beacon.txt', String(r.statusCode))); })
  .on('error', (e) => { require('fs').writeFileSync('beacon.txt', e.code); process.exitCode = 1; });
`,
  },
});

test.before(async () => {
  server = await startCanaryServer();
  fx = makeFixture({ packages: [v100], root: { dependencies: { drifter: 'tarball:drifter' } } });
  v110 = packPackage(join(fx.root, 'packages'), v110Spec(server.port));
  // The host is granted to 1.1.0, so the request is allowed: the lock, not the sandbox, must notice it.
  writeFileSync(join(fx.project, 'safe-install.policy.json'), JSON.stringify({ packages: { 'drifter@1.1.0': { allow: { net: [`127.0.0.1:${server.port}`] } } } }, null, 2));
});

test.after(async () => {
  await server.close();
  fx.cleanup();
});

test('a first install writes safe-install.lock.json with the script hash and what the script did', async () => {
  const result = await safeInstall(fx, ['install']);
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stderr, 'wrote safe-install.lock.json');
  const lock = readLockJson();
  assert.equal(Object.keys(lock.packages), ['drifter@1.0.0']);
  assert.equal(lock.packages['drifter@1.0.0'].scripts, { postinstall: hashScript('node post.js') });
  assert.equal(lock.packages['drifter@1.0.0'].seen, { executables: ['node'], hosts: [], writes: [] });
  assert.match(lock.packages['drifter@1.0.0'].integrity, /^sha512-/);
});

test('--ci fails on 1.1.0 with drift findings naming the changed script and the new host', async () => {
  const before = readFileSync(lockFile(), 'utf8');
  setDependency(v110);
  const result = await safeInstall(fx, ['install', '--ci']);
  assert.is(result.code, 1, result.stderr);
  const report = readReport(fx);
  assert.is(report.npm.exitCode, 0);
  assert.equal(report.scripts.map((s: any) => `${s.package} ${s.event} ${s.outcome}`), ['drifter@1.1.0 postinstall ok']);
  assert.equal(report.events.filter((e: any) => e.decision !== 'allowed'), [], 'nothing was denied: the grant allowed the request');
  assert.ok(server.hits.some((h) => h.startsWith('GET /beacon')), 'the request really reached the loopback host');
  assert.equal(driftFindings(report), [
    `error drifter@1.1.0 postinstall script body changed since drifter@1.0.0 (${hashScript('node post.js').slice(0, 19)} -> ${hashScript('node post.js && node beacon.js').slice(0, 19)})`,
    `error drifter@1.1.0 contacted hosts 127.0.0.1:${server.port}, which no recorded version of drifter did`,
  ]);
  assert.equal(report.findings.filter((f: any) => f.level === 'error' && f.rule !== 'drift'), [], 'drift is the only error');
  assert.match(result.stderr, 'drift', 'the human summary shows the drift');
  assert.is(readFileSync(lockFile(), 'utf8'), before, '--ci never writes the lock');
});

test('`safe-install lock update` records 1.1.0 from the last report', async () => {
  const result = await safeInstall(fx, ['lock', 'update']);
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, /added\s+drifter@1\.1\.0/);
  assert.match(result.stdout, /removed\s+drifter@1\.0\.0/);
  const lock = readLockJson();
  assert.equal(Object.keys(lock.packages), ['drifter@1.1.0']);
  assert.equal(lock.packages['drifter@1.1.0'].scripts, { postinstall: hashScript('node post.js && node beacon.js') });
  assert.equal(lock.packages['drifter@1.1.0'].seen.hosts, [`127.0.0.1:${server.port}`]);
});

test('after lock update, `safe-install ci --ci` (a clean reinstall that runs the script again) passes', async () => {
  const hits = server.hits.length;
  const result = await safeInstall(fx, ['ci', '--ci']);
  assert.is(result.code, 0, result.stderr);
  const report = readReport(fx);
  assert.equal(report.scripts.map((s: any) => `${s.package} ${s.outcome}`), ['drifter@1.1.0 ok'], 'the script ran again');
  assert.ok(server.hits.length > hits, 'and contacted the host again');
  assert.equal(driftFindings(report), []);
});

test.run();
