import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { SandboxEvent } from '../../src/events/types.js';
import { explainTamper, npmOwnedPaths, type TamperChange } from '../../src/watch/index.js';

const project = '/home/u/app';
const home = '/home/u';
const owned = npmOwnedPaths({ projectDir: project, home });

const change = (path: string, kind: TamperChange['change'] = 'changed'): TamperChange => ({ path, change: kind, at: 1 });
const event = (kind: SandboxEvent['kind'], target: string, decision: SandboxEvent['decision'] = 'allowed'): SandboxEvent => ({
  package: 'evil@1.0.0',
  path: 'node_modules/evil',
  script: 'postinstall',
  kind,
  target,
  decision,
  tier: 'process',
  source: 'strace',
});

// ---
const explain = suite('explainTamper');

explain('should turn an unexplained change into an error finding', () => {
  assert.equal(explainTamper([change('/home/u/.bashrc')], [], { npmOwnedPaths: owned }), [
    {
      rule: 'tamper',
      level: 'error',
      message: '/home/u/.bashrc was changed during the install, and no allowed script action explains it',
      path: '/home/u/.bashrc',
    },
  ]);
});

explain('should ignore what npm itself writes', () => {
  const npmChanges = [
    change(`${project}/package.json`),
    change(`${project}/package-lock.json`, 'added'),
    change(`${project}/node_modules/.package-lock.json`),
    change(`${project}/node_modules`, 'added'),
    change(`${home}/.npm/_cacache`, 'added'),
    change(`${home}/.npm/_cacache/index-v5/aa/bb`, 'added'),
    change(`${home}/.npm/_logs/2026-01-01T00_00_00_000Z-debug-0.log`, 'added'),
    change(`${home}/.npm/_update-notifier-last-checked`),
  ];
  assert.equal(explainTamper(npmChanges, [], { npmOwnedPaths: owned }), []);
});

explain('should not treat package.json as npm-owned when npm does not save', () => {
  const strict = npmOwnedPaths({ projectDir: project, home, saves: false });
  const findings = explainTamper([change(`${project}/package.json`)], [], { npmOwnedPaths: strict });
  assert.is(findings.length, 1);
});

explain('should not let a lookalike escape through an npm-owned pattern', () => {
  const findings = explainTamper([change(`${home}/.npm/_cacache-evil`, 'added'), change(`${home}/.npmrc`)], [], { npmOwnedPaths: owned });
  assert.equal(findings.map((f) => f.path), [`${home}/.npm/_cacache-evil`, `${home}/.npmrc`]);
});

explain('should accept changes explained by an allowed write or delete', () => {
  const changes = [
    change(`${project}/.github/workflows/ci.yml`, 'added'),
    change(`${project}/.husky`, 'added'),
    change(`${project}/.git/hooks/pre-commit`, 'removed'),
    change(`${project}/.git/config`),
  ];
  const events = [
    event('fs.write', `${project}/.github/workflows/ci.yml`),
    event('fs.write', `${project}/.husky/pre-commit`), // a new directory, explained by a write inside it
    event('fs.delete', `${project}/.git/hooks/pre-commit`),
    event('fs.write', `${project}/.git/config`, 'asked-allowed'),
  ];
  assert.equal(explainTamper(changes, events, { npmOwnedPaths: owned }), []);
});

explain('should not accept a denied event, a read, or the wrong kind as explanation', () => {
  const changes = [change(`${home}/.bashrc`), change(`${home}/.profile`, 'removed'), change(`${home}/.zshrc`)];
  const events = [
    event('fs.write', `${home}/.bashrc`, 'denied'),
    event('fs.write', `${home}/.profile`), // a write does not explain a removal
    event('fs.read', `${home}/.zshrc`),
  ];
  const findings = explainTamper(changes, events, { npmOwnedPaths: owned });
  assert.equal(findings.map((f) => f.path), [`${home}/.bashrc`, `${home}/.profile`, `${home}/.zshrc`]);
  // The denied attempt names a suspect.
  assert.is(findings[0].package, 'evil@1.0.0');
  assert.match(findings[0].message, 'evil@1.0.0 postinstall tried to write it and was denied');
});

explain.run();
