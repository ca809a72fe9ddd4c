import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { githubAnnotations } from '../../src/report/github-annotations.js';
import { stepSummary } from '../../src/report/step-summary.js';
import { publishToGithub } from '../../src/report/publish-to-github.js';
import { SAMPLE_LOCKFILE, sampleReport } from './sample-report.js';

const annotations = suite('githubAnnotations');

annotations('should give one workflow command per result, located at the lockfile entry', () => {
  assert.fixture(githubAnnotations(sampleReport(), { lockfileText: SAMPLE_LOCKFILE }).join('\n'), `::error file=package-lock.json,line=11,col=5,title=safe-install script-failed::evil\\x1b[2J\\x1b[31m@1.0.0 postinstall failed with exit code 1: exited 1
::warning file=package-lock.json,line=14,col=5,title=safe-install script-denied::left-pad@1.3.0 install was not run: not approved in allowScripts
::error file=package-lock.json,line=11,col=5,title=safe-install secret-read::evil\\x1b[2J\\x1b[31m@1.0.0 postinstall: read of /home/u/.npmrc was denied (ENOENT) (2 times)
::error file=package-lock.json,line=11,col=5,title=safe-install secret-read::evil\\x1b[2J\\x1b[31m@1.0.0 postinstall: read of /home/u/.ssh/id_rsa was denied (ENOENT)
::error file=package-lock.json,line=11,col=5,title=safe-install fs-write-denied::evil\\x1b[2J\\x1b[31m@1.0.0 postinstall: write to /work/app/a|b.txt was denied (EROFS)
::error file=package-lock.json,line=11,col=5,title=safe-install net-denied::evil\\x1b[2J\\x1b[31m@1.0.0 postinstall: connection to exfil.example:443 was denied (403)
::error file=package-lock.json,line=11,col=5,title=safe-install proc-exec::evil\\x1b[2J\\x1b[31m@1.0.0 postinstall: running /usr/bin/curl was denied
::error file=package-lock.json,line=11,col=5,title=safe-install tamper::evil\\x1b[2J\\x1b[31m@1.0.0: .git/hooks/pre-commit changed during the install
::warning file=package.json,line=1,col=1,title=safe-install exotic-source::x@1.0.0: resolved from git+https://example.com/x.git`);
});

annotations('should escape %, CR, LF in messages and also : and , in properties', () => {
  const report = sampleReport();
  report.scripts = [];
  report.events = [];
  report.findings = [{ rule: 'drift', level: 'note', message: '100% new\r\n::error::forged', package: 'p@1.0.0', path: 'node_modules/p' }];
  assert.equal(githubAnnotations(report, { baseUri: 'apps/a,b:c' }), [
    '::notice file=apps/a%2Cb%3Ac/package.json,line=1,col=1,title=safe-install drift::p@1.0.0: 100%25 new\\x0d\\n::error::forged',
  ]);
});

annotations('should stop after 50 and say how many more', () => {
  const report = sampleReport();
  report.scripts = [];
  report.events = [];
  report.findings = Array.from({ length: 53 }, (_, i) => ({ rule: 'drift', level: 'error' as const, message: `n${i}` }));
  const lines = githubAnnotations(report);
  assert.is(lines.length, 51);
  assert.is(lines[50], '::warning title=safe-install::3 more results are in the JSON or SARIF report');
});

annotations.run();

// ---

const summary = suite('stepSummary');

summary('should render the exit meaning, a scripts table and a problems table with package text made inert', () => {
  assert.fixture(stepSummary(sampleReport()), `## safe-install: exit 1: policy deviation or failed script (npm exited 1)

3 scripts (1 ok, 1 failed, 1 denied), 6 denied actions, 2 findings (1 error). Mode enforce, bwrap sandbox, narrow tracing, 2.3 s.

### Scripts

| Package | Script | Outcome | Duration | Tier |
| --- | --- | --- | --- | --- |
| esbuild@0.25.0 | postinstall | ok | 85 ms | process |
| evil\\\\x1b\\[2J\\\\x1b\\[31m@1.0.0 | postinstall | failed (exit 1) | 1.5 s | process |
| left-pad@1.3.0 | install | denied | 0 ms | none |

### Problems

| Level | Rule | Message |
| --- | --- | --- |
| error | script-failed | evil\\\\x1b\\[2J\\\\x1b\\[31m@1.0.0 postinstall failed with exit code 1: exited 1 |
| warning | script-denied | left-pad@1.3.0 install was not run: not approved in allowScripts |
| error | secret-read | evil\\\\x1b\\[2J\\\\x1b\\[31m@1.0.0 postinstall: read of /home/u/.npmrc was denied (ENOENT) (2 times) |
| error | secret-read | evil\\\\x1b\\[2J\\\\x1b\\[31m@1.0.0 postinstall: read of /home/u/.ssh/id\\_rsa was denied (ENOENT) |
| error | fs-write-denied | evil\\\\x1b\\[2J\\\\x1b\\[31m@1.0.0 postinstall: write to /work/app/a\\|b.txt was denied (EROFS) |
| error | net-denied | evil\\\\x1b\\[2J\\\\x1b\\[31m@1.0.0 postinstall: connection to exfil.example:443 was denied (403) |
| error | proc-exec | evil\\\\x1b\\[2J\\\\x1b\\[31m@1.0.0 postinstall: running /usr/bin/curl was denied |
| error | tamper | evil\\\\x1b\\[2J\\\\x1b\\[31m@1.0.0: .git/hooks/pre-commit changed during the install |
| warning | exotic-source | x@1.0.0: resolved from git+https://example.com/x.git |
`);
});

summary('should neutralise HTML, links and emphasis from packages', () => {
  const report = sampleReport();
  report.scripts = [];
  report.events = [];
  report.findings = [{ rule: 'drift', level: 'warning', message: '<img src=x onerror=alert(1)> [click](https://evil.example) **bold** & `code`' }];
  assert.ok(stepSummary(report).includes(
    '| warning | drift | &lt;img src=x onerror=alert(1)&gt; \\[click\\](https://evil.example) \\*\\*bold\\*\\* &amp; \\`code\\` |',
  ));
});

summary.run();

// ---

const publish = suite('publishToGithub');

publish('should print annotations and append the summary when GITHUB_ACTIONS=true', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'safe-install-gh-'));
  const file = join(dir, 'summary.md');
  writeFileSync(file, '# earlier step\n');
  let out = '';
  const done = await publishToGithub(sampleReport(), { env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: file }, write: (t) => { out += t; }, lockfileText: SAMPLE_LOCKFILE });
  assert.ok(done);
  assert.is(out.split('\n').length, 10);
  assert.ok(out.startsWith('::error file=package-lock.json,line=11,col=5,title=safe-install script-failed::'));
  assert.ok(readFileSync(file, 'utf8').startsWith('# earlier step\n## safe-install: exit 1'));
});

publish('should do nothing outside GitHub Actions', async () => {
  let out = '';
  assert.not.ok(await publishToGithub(sampleReport(), { env: {}, write: (t) => { out += t; } }));
  assert.is(out, '');
});

publish.run();
