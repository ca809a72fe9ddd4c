// How an install uses the lock (no npm needed): compare, then save unless --ci or npm failed; the
// policy's acceptDrift turns a package's drift into a warning that is recorded like any change.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InstallReport, ScriptRecord } from '../../src/report/types.js';
import type { SandboxEvent } from '../../src/events/types.js';
import { openBehaviourLock, formatLock, hashScript, type BehaviourLock } from '../../src/lock/index.js';
import { parsePolicyText } from '../../src/policy/index.js';
import { isSafeInstallError, type SafeInstallError } from '../../src/errors.js';

const recorded: BehaviourLock = { lockfileVersion: 1, packages: { 'pkg@1.0.0': { integrity: 'sha512-A', scripts: { postinstall: hashScript('node a.js') }, seen: { hosts: [], writes: [], executables: ['node'] } } } };

// A project with a lock and an npm lockfile that now installs pkg@1.1.0.
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'si-lockuse-'));
  writeFileSync(join(dir, 'safe-install.lock.json'), formatLock(recorded));
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages: { '': { name: 'app' }, 'node_modules/pkg': { version: '1.1.0', integrity: 'sha512-B' } } }));
  return dir;
}
const scripts: ScriptRecord[] = [{ package: 'pkg@1.1.0', name: 'pkg', version: '1.1.0', identitySource: 'lockfile', path: 'node_modules/pkg', integrity: 'sha512-B', event: 'postinstall', command: 'node a.js', outcome: 'ok', exitCode: 0, durationMs: 3, tier: 'process' }];
const events: SandboxEvent[] = [{ package: 'pkg@1.1.0', path: 'node_modules/pkg', script: 'postinstall', kind: 'net.connect', target: 'new.example:443', decision: 'allowed', tier: 'process', source: 'proxy' }];
const report = (npmExit: number) => ({ npm: { version: '11', exitCode: npmExit } }) as InstallReport;
const lockText = (dir: string) => readFileSync(join(dir, 'safe-install.lock.json'), 'utf8');

const use = suite('openBehaviourLock');

use('should report drift as an error and keep the lock as it was', async () => {
  const dir = project();
  const lock = openBehaviourLock({ projectDir: dir, ci: false });
  assert.equal(lock.compare({ scripts, events }).map((f) => `${f.level} ${f.rule} ${f.message}`), ['error drift contacted hosts new.example:443, which no recorded version of pkg did']);
  assert.is(await lock.save(report(0)), undefined);
  assert.is(lockText(dir), formatLock(recorded));
});

use('should make accepted drift a warning and record it (versions no longer installed fold into it)', async () => {
  const dir = project();
  const lock = openBehaviourLock({ projectDir: dir, ci: false, acceptDrift: ['pkg'] });
  assert.equal(lock.compare({ scripts, events }).map((f) => f.level), ['warning']);
  assert.is(await lock.save(report(0)), join(dir, 'safe-install.lock.json'));
  const saved = JSON.parse(lockText(dir));
  assert.equal(Object.keys(saved.packages), ['pkg@1.1.0']);
  assert.equal(saved.packages['pkg@1.1.0'].seen, { executables: ['node'], hosts: ['new.example:443'], writes: [] });
});

use('should never write under --ci, nor when npm failed', async () => {
  const dir = project();
  const ci = openBehaviourLock({ projectDir: dir, ci: true, acceptDrift: ['pkg'] });
  ci.compare({ scripts, events });
  assert.is(await ci.save(report(0)), undefined);
  const failed = openBehaviourLock({ projectDir: dir, ci: false, acceptDrift: ['pkg'] });
  failed.compare({ scripts, events });
  assert.is(await failed.save(report(254)), undefined);
  assert.is(lockText(dir), formatLock(recorded));
});

use('should write a first lock when there is none, and say under --ci that there is none', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'si-lockuse-'));
  const ci = openBehaviourLock({ projectDir: dir, ci: true });
  assert.equal(ci.compare({ scripts, events }).map((f) => `${f.level} ${f.rule}`), ['note lock-missing']);
  const first = openBehaviourLock({ projectDir: dir, ci: false });
  assert.equal(first.compare({ scripts, events }), []);
  await first.save(report(0));
  assert.ok(existsSync(join(dir, 'safe-install.lock.json')));
  assert.equal(Object.keys(JSON.parse(lockText(dir)).packages), ['pkg@1.1.0']);
});

use.run();

// ---

const policy = suite('policy acceptDrift');

policy('should accept package keys and refuse ranges with a located error', () => {
  assert.equal(parsePolicyText('{ "acceptDrift": ["pkg", "@s/x@1.0.0 || 1.0.1"] }', '/p/safe-install.policy.json').acceptDrift, ['pkg', '@s/x@1.0.0 || 1.0.1']);
  assert.is(parsePolicyText('{}', '/p/safe-install.policy.json').acceptDrift, undefined);
  try {
    parsePolicyText('{\n  "acceptDrift": ["pkg@^1.0.0"]\n}', '/p/safe-install.policy.json');
    assert.unreachable('a range was accepted');
  } catch (error) {
    assert.ok(isSafeInstallError(error));
    const err = error as SafeInstallError;
    assert.is(err.code, 'EPOLICY_INVALID');
    assert.equal(err.details.map((d) => `${d.location?.line}:${d.location?.column} ${d.path}`), ['2:19 acceptDrift[0]']);
    assert.match(err.details[0].message, 'is a version range');
  }
});

policy.run();
