// End to end: a real npm install through safe-install where `node script.js` postinstalls run in
// the isolate tier; what they may do, what they may not, and what the report says about them.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { makeFixture, safeInstall, readReport, readIfExists, CANARY, type Fixture, type RunResult } from '../../helpers/fixture.js';
import { isolatedVmMissing } from '../../../src/sandbox/isolate/create-isolate-tier.js';

const install = suite('install with the isolate tier');
const missing = isolatedVmMissing();
let fx: Fixture;
let result: RunResult;
let report: any;

install.before(async () => {
  if (missing) return;
  fx = makeFixture({
    packages: [
      {
        name: 'iso-writer',
        scripts: { postinstall: 'node script.js' },
        files: {
          'script.js': [
            "const fs = require('fs'), path = require('path'), os = require('os');",
            "fs.mkdirSync(path.join(__dirname, 'gen'), { recursive: true });",
            "fs.writeFileSync(path.join(__dirname, 'gen', 'out.json'), JSON.stringify({ ok: true, tmp: os.tmpdir() }));",
            "let npmrc;",
            "try { npmrc = fs.readFileSync(path.join(os.homedir(), '.npmrc'), 'utf8'); } catch (e) { npmrc = e.code; }",
            "fs.writeFileSync(path.join(__dirname, 'npmrc.txt'), String(npmrc));",
            "try { fs.writeFileSync(path.join(process.env.INIT_CWD, 'package.json'), 'evil'); } catch (e) { fs.writeFileSync(path.join(__dirname, 'root.txt'), e.code); }",
            "fs.writeFileSync(path.join(__dirname, 'token.txt'), String(process.env.NPM_TOKEN));",
            "console.log('iso-writer done');",
          ].join('\n'),
        },
      },
      { name: 'iso-eval', scripts: { postinstall: `node -e "require('fs').writeFileSync('eval.txt', String(1 + 1))"` } },
      { name: 'iso-shell', scripts: { postinstall: 'node script.js && echo shell > shell.txt' }, files: { 'script.js': "require('fs').writeFileSync('x.txt', 'x')" } },
      { name: 'iso-vm', scripts: { postinstall: 'node script.js' }, files: { 'script.js': "require('vm'); require('fs').writeFileSync('vm.txt', 'ran')" } },
      { name: 'iso-fail', scripts: { postinstall: 'node script.js' }, files: { 'script.js': "console.error('about to fail'); process.exit(3)" } },
    ],
    root: { dependencies: Object.fromEntries(['iso-writer', 'iso-eval', 'iso-shell', 'iso-vm'].map((n) => [n, `tarball:${n}`])), optionalDependencies: { 'iso-fail': 'tarball:iso-fail' } },
  });
  result = await safeInstall(fx, ['install', '--foreground-scripts']);
  report = readReport(fx);
});

install.after(() => fx?.cleanup());

const pkg = (name: string, file: string) => readIfExists(join(fx.project, 'node_modules', name, file));
const record = (name: string) => report.scripts.find((s: any) => s.name === name);

install('should run a plain `node script.js` postinstall in the isolate, writing its own directory', () => {
  if (missing) return console.log(`  (skipped: ${missing})`);
  // Exit 1: iso-fail fails on purpose (a failed script is a failed install).
  assert.is(result.code, 1, result.stderr);
  assert.is(record('iso-writer').tier, 'isolate');
  assert.is(record('iso-writer').outcome, 'ok');
  assert.equal(JSON.parse(pkg('iso-writer', 'gen/out.json')), { ok: true, tmp: '/tmp' });
  assert.match(result.stdout + result.stderr, 'iso-writer done');
});

install('should hide ~/.npmrc and report the denied read with the script\'s file:line', () => {
  if (missing) return;
  assert.is(pkg('iso-writer', 'npmrc.txt'), 'ENOENT');
  const event = report.events.find((e: any) => e.kind === 'fs.read' && e.target === join(fx.home, '.npmrc'));
  assert.ok(event, JSON.stringify(report.events, null, 1));
  assert.is(event.decision, 'denied');
  assert.is(event.tier, 'isolate');
  assert.is(event.source, 'isolate');
  assert.is(event.package, 'iso-writer@1.0.0');
  assert.match(event.detail, /node_modules\/iso-writer\/script\.js:5:\d+/);
  assert.match(event.detail, / at \//, 'detail ends with the script frame');
  assert.not.match(JSON.stringify(report), CANARY.npmToken);
});

install('should refuse a write outside the grant (EROFS) and leave no token in the environment', () => {
  if (missing) return;
  assert.is(pkg('iso-writer', 'root.txt'), 'EROFS');
  assert.not.match(readIfExists(join(fx.project, 'package.json')), 'evil');
  assert.is(pkg('iso-writer', 'token.txt'), 'undefined');
  const read = report.events.find((e: any) => e.kind === 'env.read' && e.target === 'NPM_TOKEN');
  assert.ok(read, 'reading the scrubbed NPM_TOKEN is reported');
  assert.ok(read.expected, 'reported, not a deviation: the process tier cannot see such reads');
  assert.match(read.detail, /script\.js:8:\d+/);
});

install('should run `node -e` in the isolate', () => {
  if (missing) return;
  assert.is(record('iso-eval').tier, 'isolate');
  assert.is(pkg('iso-eval', 'eval.txt'), '2');
});

install('should leave shell syntax and unsupported built-ins to the process tier, saying why', () => {
  if (missing) return;
  assert.is(record('iso-shell').tier, 'process');
  assert.match(record('iso-shell').tierReason, 'shell syntax');
  assert.is(pkg('iso-shell', 'shell.txt'), 'shell\n');
  assert.is(record('iso-vm').tier, 'process');
  assert.match(record('iso-vm').tierReason, 'built-in "vm"');
  assert.is(pkg('iso-vm', 'vm.txt'), 'ran');
});

install('should report a failing isolate script with its exit code and output tail', () => {
  if (missing) return;
  const r = record('iso-fail');
  assert.is(r.tier, 'isolate');
  assert.is(r.outcome, 'failed');
  assert.is(r.exitCode, 3);
  assert.match(r.outputTail, 'about to fail');
  assert.not.ok(existsSync(join(fx.project, 'node_modules', 'iso-fail', 'never')));
});

install.run();
