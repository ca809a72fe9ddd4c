import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { renderHuman } from '../../src/report/render-human.js';
import type { SandboxEvent } from '../../src/events/types.js';
import { sampleReport } from './sample-report.js';

const plain = suite('renderHuman: plain text');

plain('should show scripts, per-package activity, findings and the exit meaning, with hostile text escaped', () => {
  assert.fixture(renderHuman(sampleReport(), { color: false }), `safe-install: install, enforce mode, bwrap sandbox, narrow tracing, 2.3 s

Scripts
  esbuild@0.25.0             postinstall  ok               85 ms  process
  evil\\x1b[2J\\x1b[31m@1.0.0  postinstall  failed (exit 1)  1.5 s  process
      reason: exited 1
  left-pad@1.3.0             install      denied            0 ms  none
      reason: not approved in allowScripts

Packages
  evil\\x1b[2J\\x1b[31m@1.0.0 (node_modules/evil)
    secrets touched
      denied   /home/u/.npmrc (2 times)
      denied   /home/u/.ssh/id_rsa
    files written outside its directory
      denied   /work/app/a|b.txt
    hosts contacted or refused
      denied   exfil.example:443
    processes started
      denied   /usr/bin/curl
      allowed  /bin/sh
  esbuild@0.25.0 (node_modules/esbuild)
    hosts contacted or refused
      allowed  registry.npmjs.org:443

Findings
  error    tamper         evil\\x1b[2J\\x1b[31m@1.0.0: .git/hooks/pre-commit changed during the install
  warning  exotic-source  x@1.0.0: resolved from git+https://example.com/x.git

3 scripts (1 ok, 1 failed, 1 denied), 6 denied actions, 2 findings (1 error); exit 1: policy deviation or failed script (npm exited 1)
`);
});

plain('should add commands, output tails and event details when verbose', () => {
  const text = renderHuman(sampleReport(), { color: false, verbose: true });
  assert.fixture(text.split("\n").slice(3, 17).join('\n'), `  esbuild@0.25.0             postinstall  ok               85 ms  process
      command: node install.js
  evil\\x1b[2J\\x1b[31m@1.0.0  postinstall  failed (exit 1)  1.5 s  process
      command: node install.js
      reason: exited 1
      output:
        stealing\\x1b]0;pwned\\x07
  left-pad@1.3.0             install      denied            0 ms  none
      command: node install.js
      reason: not approved in allowScripts

Packages
  evil\\x1b[2J\\x1b[31m@1.0.0 (node_modules/evil)
    secrets touched`);
  assert.ok(text.includes('      denied   /home/u/.npmrc (2 times) [ENOENT]\n'), 'details shown in brackets');
});

plain('should cut long lists with "… and N more" unless verbose', () => {
  const report = sampleReport();
  const exec = (i: number): SandboxEvent => ({ package: 'many@1.0.0', path: 'node_modules/many', script: 'install', kind: 'proc.exec', target: `/usr/bin/tool${i}`, decision: 'allowed', tier: 'process', source: 'strace' });
  report.scripts = [];
  report.findings = [];
  report.events = Array.from({ length: 8 }, (_, i) => exec(i));
  report.exitCode = 0;
  report.npm.exitCode = 0;
  assert.fixture(renderHuman(report, { color: false }), `safe-install: install, enforce mode, bwrap sandbox, narrow tracing, 2.3 s

Packages
  many@1.0.0 (node_modules/many)
    processes started
      allowed  /usr/bin/tool0
      allowed  /usr/bin/tool1
      allowed  /usr/bin/tool2
      allowed  /usr/bin/tool3
      allowed  /usr/bin/tool4
      … and 3 more

no scripts, 0 denied actions, 0 findings; exit 0: clean
`);
  assert.ok(renderHuman(report, { color: false, verbose: true }).includes('/usr/bin/tool7'));
});

plain('should name a missing sandbox and the root project', () => {
  const report = sampleReport();
  report.sandbox = { kind: 'none', tracing: 'off', detail: '--unsafe-no-sandbox' };
  report.scripts = [];
  report.findings = [];
  report.events = [{ package: 'app@1.0.0', path: '', script: 'prepare', kind: 'fs.write', target: '/home/u/.bashrc', decision: 'allowed', tier: 'none', source: 'watcher' }];
  report.exitCode = 3;
  assert.fixture(renderHuman(report, { color: false }), `safe-install: install, enforce mode, NO SANDBOX (--unsafe-no-sandbox), 2.3 s

Packages
  app@1.0.0 (project root)
    files written outside its directory
      allowed  /home/u/.bashrc

no scripts, 0 denied actions, 0 findings; exit 3: sandbox unavailable
`);
});

plain.run();

// ---

const colored = suite('renderHuman: colour');

colored('should colour outcomes and decisions but never pass a package escape through', () => {
  const text = renderHuman(sampleReport(), { color: true });
  assert.ok(text.includes('\x1b[31mfailed (exit 1)\x1b[39m'), 'failed in red');
  assert.ok(text.includes('\x1b[32mok             \x1b[39m'), 'ok in green');
  assert.not.ok(text.includes('\x1b[2J'), 'the hostile clear-screen never reaches the terminal');
  assert.ok(text.includes('evil\\x1b[2J\\x1b[31m@1.0.0'));
});

colored('should print no escape at all when colour is off', () => {
  assert.not.ok(renderHuman(sampleReport(), { color: false }).includes('\x1b'));
});

colored.run();
