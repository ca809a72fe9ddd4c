// The reports a CI system reads, end to end: one --ci install under GitHub Actions settings, with a
// package that tries to write into the project root. It must fail (exit 1), print workflow-command
// annotations at the package's lockfile line, append the step summary, write the JSON report where
// --report says, and write a SARIF log that the official schema and Sarif.Multitool accept.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeFixture, safeInstall, readReport, type Fixture, type RunResult } from '../helpers/fixture.js';
import { multitoolDir, multitoolExe, runMultitool, sarifSchemaValidator } from '../helpers/sarif.js';

const test = suite('CI reports end to end (GitHub Actions, SARIF, JSON)');
let fx: Fixture;
let result: RunResult;
let lockLine: number;

const paths = () => ({ summary: join(fx.root, 'step-summary.md'), sarif: join(fx.root, 'out', 'safe-install.sarif'), report: join(fx.root, 'out', 'report.json') });

test.before(async () => {
  fx = makeFixture({
    packages: [{ name: 'writer', scripts: { postinstall: 'echo evil > "$INIT_CWD/planted.txt"; true' } }],
    root: { dependencies: { writer: 'tarball:writer' } },
  });
  const { summary, sarif, report } = paths();
  result = await safeInstall(fx, ['install', '--ci', '--sarif', sarif, '--report', report], { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary });
  lockLine = readFileSync(join(fx.project, 'package-lock.json'), 'utf8').split('\n').findIndex((l) => l.includes('"node_modules/writer": {')) + 1;
});

test.after(() => fx.cleanup());

test('a denied write fails the --ci run with exit 1 and leaves the project root alone', () => {
  assert.is(result.code, 1, result.stderr);
  assert.not.ok(existsSync(join(fx.project, 'planted.txt')));
});

test('the JSON report goes where --report says and records the denied write', () => {
  const report = readReport(fx, paths().report);
  assert.is(report.exitCode, 1);
  const denied = report.events.filter((e: any) => e.decision === 'denied').map((e: any) => `${e.package} ${e.kind} ${e.target}`);
  assert.equal(denied, [`writer@1.0.0 fs.write ${join(fx.project, 'planted.txt')}`]);
});

test('annotations: an ::error workflow command on stdout at the writer\'s package-lock.json line, and a notice that there is no lock', () => {
  assert.ok(lockLine > 1, 'the lockfile has the writer entry');
  // Other rooms add notes of their own (exotic-source for these file: tarballs); this test owns errors and the lock note.
  const annotations = result.stdout.split('\n').filter((l) => l.startsWith('::error') || l.startsWith('::warning') || l.includes('lock-missing'));
  assert.equal(annotations, [
    `::error file=package-lock.json,line=${lockLine},col=5,title=safe-install fs-write-denied::writer@1.0.0 postinstall: write to ${join(fx.project, 'planted.txt')} was denied (openat O_WRONLY|O_CREAT|O_TRUNC: EROFS)`,
    '::notice file=package.json,line=1,col=1,title=safe-install lock-missing::no behaviour lock (safe-install.lock.json): script bodies and behaviour were not compared. Run an install without --ci and commit the lock it writes.',
  ]);
});

test('the step summary is appended to $GITHUB_STEP_SUMMARY', () => {
  const summary = readFileSync(paths().summary, 'utf8');
  assert.match(summary, /^## safe-install: exit 1: policy deviation or failed script\n/);
  assert.match(summary, '| writer@1.0.0 | postinstall | ok |');
  assert.match(summary, `| error | fs-write-denied | writer@1.0.0 postinstall: write to ${join(fx.project, 'planted.txt')} was denied (openat O\\_WRONLY\\|O\\_CREAT\\|O\\_TRUNC: EROFS) |`);
});

test('--sarif writes a log the official SARIF 2.1.0 schema accepts, located at the lockfile entry', () => {
  const log = JSON.parse(readFileSync(paths().sarif, 'utf8')) as any;
  const toolDir = multitoolDir();
  assert.ok(toolDir, '@microsoft/sarif-multitool is installed (devDependencies)');
  const validate = sarifSchemaValidator(toolDir!);
  const valid: boolean = validate(log);
  assert.ok(valid, JSON.stringify(validate.errors, null, 2));
  const results = log.runs[0].results.filter((r: any) => r.level !== 'note' || r.ruleId === 'lock-missing').map((r: any) => `${r.level} ${r.ruleId} ${r.locations[0].physicalLocation.artifactLocation.uri}:${r.locations[0].physicalLocation.region.startLine}`);
  assert.equal(results, [`error fs-write-denied package-lock.json:${lockLine}`, 'note lock-missing package.json:1']);
});

test('--sarif passes Sarif.Multitool validate with no errors', () => {
  const exe = multitoolExe(multitoolDir()!);
  if (!exe) {
    console.log('  skipped: Sarif.Multitool is not executable (its postinstall did not run)');
    return;
  }
  const findings = runMultitool(exe, JSON.parse(readFileSync(paths().sarif, 'utf8')));
  assert.equal(findings.filter((f: any) => f.level === 'error').map((f: any) => `${f.ruleId}: ${f.message?.text}`), []);
});

test('`safe-install report FILE` renders the saved report for a person', async () => {
  const shown = await safeInstall(fx, ['report', paths().report]);
  assert.is(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, 'writer@1.0.0');
  assert.match(shown.stdout, 'exit 1: policy deviation or failed script');
});

test.run();
