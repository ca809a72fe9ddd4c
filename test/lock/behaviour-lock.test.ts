// The behaviour lock's pure core: what an install's records and events become in the lock, what counts
// as drift, how a lock is merged and written, and how a broken lock is refused.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SandboxEvent } from '../../src/events/types.js';
import type { ScriptRecord } from '../../src/report/types.js';
import { observeBehaviour, findDrift, mergeLock, formatLock, readLock, writeLock, hashScript, emptyLock, type BehaviourLock, type ObservedPackage } from '../../src/lock/index.js';
import { isSafeInstallError, type SafeInstallError } from '../../src/errors.js';

const ctx = { projectDir: '/home/u/app', home: '/home/u', cache: '/home/u/.npm' };

const record = (pkg: string, event: string, command: string, fields: Partial<ScriptRecord> = {}): ScriptRecord => {
  const at = pkg.lastIndexOf('@');
  return {
    package: pkg, name: pkg.slice(0, at), version: pkg.slice(at + 1), identitySource: 'lockfile', path: `node_modules/${pkg.slice(0, at)}`,
    integrity: 'sha512-AAAA', event, command, outcome: 'ok', exitCode: 0, durationMs: 5, tier: 'process', ...fields,
  };
};
const ev = (path: string, kind: SandboxEvent['kind'], target: string, decision: SandboxEvent['decision'] = 'allowed'): SandboxEvent => ({
  package: 'x@1.0.0', path, script: 'postinstall', kind, target, decision, tier: 'process', source: 'strace',
});

// ---

const observe = suite('observeBehaviour');

observe('should hash each script body and keep only hosts, writes outside the package and program names', () => {
  const scripts = [record('gyp@1.0.0', 'install', 'node-gyp rebuild'), record('gyp@1.0.0', 'postinstall', 'node post.js'), record('app@1.0.0', 'prepare', 'husky', { identitySource: 'root', path: '' })];
  const p = 'node_modules/gyp';
  const events = [
    ev(p, 'proc.exec', '/usr/bin/node'),
    ev(p, 'proc.exec', '/home/u/.nvm/versions/node/v22/bin/node'),
    ev(p, 'proc.exec', '/usr/bin/g++'),
    ev(p, 'net.connect', 'nodejs.org:443'),
    ev(p, 'net.connect', 'exfil.example:443', 'denied'),
    ev(p, 'net.connect', '/run/safe-install/proxy.sock'),
    ev(p, 'fs.write', '/home/u/app/node_modules/gyp/build/Release/x.node'),
    ev(p, 'fs.write', '/tmp/cc1.s'),
    ev(p, 'fs.write', '/tmp/x', 'denied'),
    ev(p, 'fs.write', '/home/u/.npm/_cacache/tmp/abc'),
    ev(p, 'fs.write', '/home/u/.cache/node-gyp/22.1.0/include/node/v8.h'),
    ev(p, 'fs.write', '/home/u/app/node_modules/@scope/victim/index.js', 'denied'),
    ev(p, 'fs.delete', '/home/u/app/.git/hooks/pre-commit', 'denied'),
    ev(p, 'fs.write', '/etc/cron.d/evil', 'denied'),
    ev(p, 'fs.read', '/home/u/.npmrc', 'denied'),
    ev('', 'proc.exec', '/usr/bin/git'),
  ];
  assert.equal(observeBehaviour(scripts, events, ctx), [{
    key: 'gyp@1.0.0', name: 'gyp', version: '1.0.0', path: 'node_modules/gyp', integrity: 'sha512-AAAA',
    scripts: { install: hashScript('node-gyp rebuild'), postinstall: hashScript('node post.js') },
    seen: {
      hosts: ['exfil.example:443', 'nodejs.org:443'],
      writes: ['$CACHE/_cacache/tmp', '$HOME/.cache/node-gyp', '$PROJECT/.git/hooks', '$PROJECT/node_modules/@scope/victim', '/etc/cron.d', '/tmp/x'],
      executables: ['g++', 'node'],
    },
  }] satisfies ObservedPackage[]);
});

observe('should count a script run in the isolate tier as starting node, so moving tiers is not drift', () => {
  const [isolated] = observeBehaviour([record('p@1.0.0', 'postinstall', 'node post.js', { tier: 'isolate' })], [], ctx);
  const [processed] = observeBehaviour([record('p@1.0.0', 'postinstall', 'node post.js')], [ev('node_modules/p', 'proc.exec', '/usr/bin/node')], ctx);
  assert.equal(isolated.seen, processed.seen);
});

observe('should keep at most 200 items per list, so a flood of attempts cannot bloat the lock', () => {
  const flood = Array.from({ length: 500 }, (_, i) => ev('node_modules/p', 'net.connect', `h${String(i).padStart(3, '0')}.example:443`, 'denied'));
  const [entry] = observeBehaviour([record('p@1.0.0', 'postinstall', 'node x.js')], flood, ctx);
  assert.is(entry.seen.hosts.length, 200);
  assert.is(entry.seen.hosts[0], 'h000.example:443');
});

observe('should hash exactly the body npm runs (a changed byte is a changed script)', () => {
  assert.is(hashScript('node x.js'), 'sha256-7306e0000b945e23d4bbb3126bf2e95b294b7e1a6cf6256dbd305d6d461fe715', 'the same as `printf "node x.js" | sha256sum`');
  assert.is.not(hashScript('node x.js'), hashScript('node x.js '));
});

observe.run();

// ---

const base: BehaviourLock = {
  lockfileVersion: 1,
  packages: {
    'pkg@1.0.0': { integrity: 'sha512-OLD', scripts: { postinstall: hashScript('node a.js') }, seen: { hosts: ['cdn.example:443'], writes: [], executables: ['node'] } },
  },
};
const obs = (key: string, fields: { integrity?: string; scripts?: Record<string, string>; hosts?: string[]; writes?: string[]; executables?: string[] } = {}): ObservedPackage => {
  const at = key.lastIndexOf('@');
  return {
    key, name: key.slice(0, at), version: key.slice(at + 1), path: `node_modules/${key.slice(0, at)}`,
    integrity: fields.integrity ?? 'sha512-OLD',
    scripts: fields.scripts ?? { postinstall: hashScript('node a.js') },
    seen: { hosts: fields.hosts ?? ['cdn.example:443'], writes: fields.writes ?? [], executables: fields.executables ?? ['node'] },
  };
};
const messages = (observed: ObservedPackage[], lock = base, accepts?: (n: string, v: string) => boolean) =>
  findDrift(lock, observed, { accepts }).findings.map((f) => `${f.level} ${f.rule} ${f.package} ${f.message}`);

const drift = suite('findDrift');

const cases: [string, ObservedPackage, string[]][] = [
  ['same identity, same body and behaviour: no drift', obs('pkg@1.0.0'), []],
  ['same identity, less behaviour: no drift', obs('pkg@1.0.0', { hosts: [], executables: [] }), []],
  ['a new package is recorded, not drift', obs('other@1.0.0', { hosts: ['evil.example:443'] }), []],
  ['same identity, changed body', obs('pkg@1.0.0', { scripts: { postinstall: hashScript('node b.js') } }), [
    `error drift pkg@1.0.0 postinstall script body changed for the same version (sha256-${hashScript('node a.js').slice(7, 19)} in the lock, sha256-${hashScript('node b.js').slice(7, 19)} now)`,
  ]],
  ['same version, another tarball', obs('pkg@1.0.0', { integrity: 'sha512-NEWNEWNEWNEWNEW' }), [
    'error drift pkg@1.0.0 the tarball changed under the same version (integrity sha512-OLD in the lock, sha512-NEWNEWNEWNEW now)',
  ]],
  ['same identity, a script added', obs('pkg@1.0.0', { scripts: { postinstall: hashScript('node a.js'), preinstall: hashScript('curl x') } }), [
    `error drift pkg@1.0.0 preinstall script is new for this version (sha256-${hashScript('curl x').slice(7, 19)}); the lock records postinstall`,
  ]],
  ['new version, same body and behaviour: no drift', obs('pkg@1.1.0', { integrity: 'sha512-NEW' }), []],
  ['new version, changed body and a new host, write and program', obs('pkg@1.1.0', { integrity: 'sha512-NEW', scripts: { postinstall: hashScript('node b.js') }, hosts: ['cdn.example:443', '127.0.0.1:8080'], writes: ['$HOME/.bashrc'], executables: ['curl', 'node'] }), [
    `error drift pkg@1.1.0 postinstall script body changed since pkg@1.0.0 (sha256-${hashScript('node a.js').slice(7, 19)} -> sha256-${hashScript('node b.js').slice(7, 19)})`,
    'error drift pkg@1.1.0 contacted hosts 127.0.0.1:8080, which no recorded version of pkg did',
    'error drift pkg@1.1.0 wrote outside its directory to $HOME/.bashrc, which no recorded version of pkg did',
    'error drift pkg@1.1.0 started programs curl, which no recorded version of pkg did',
  ]],
  ['same version, a new host (a payload that acts only in CI)', obs('pkg@1.0.0', { hosts: ['cdn.example:443', 'exfil.example:443'] }), [
    'error drift pkg@1.0.0 contacted hosts exfil.example:443, which no recorded version of pkg did',
  ]],
];
for (const [title, observed, expected] of cases) drift(`should report: ${title}`, () => assert.equal(messages([observed]), expected));

drift('should compare a new version with the closest older one and accept a body any recorded version had', () => {
  const lock: BehaviourLock = { lockfileVersion: 1, packages: {
    'pkg@1.0.0': { scripts: { postinstall: hashScript('v1') }, seen: { hosts: [], writes: [], executables: [] } },
    'pkg@2.0.0': { scripts: { postinstall: hashScript('v2') }, seen: { hosts: [], writes: [], executables: [] } },
  } };
  assert.equal(messages([obs('pkg@1.5.0', { scripts: { postinstall: hashScript('v1') }, hosts: [], executables: [] })], lock), []);
  assert.match(messages([obs('pkg@1.5.0', { scripts: { postinstall: hashScript('v15') }, hosts: [], executables: [] })], lock)[0], 'changed since pkg@1.0.0');
  assert.match(messages([obs('pkg@3.0.0', { scripts: { postinstall: hashScript('v3') }, hosts: [], executables: [] })], lock)[0], 'changed since pkg@2.0.0');
  assert.match(messages([obs('@s/pkg@1.0.0', { scripts: { postinstall: hashScript('v3') }, hosts: [], executables: [] })], lock)[0] ?? 'none', 'none', 'another name is another package');
});

drift('should make accepted drift a warning and leave it out of the drifted set', () => {
  const observed = [obs('pkg@1.1.0', { hosts: ['new.example:443'] })];
  assert.equal(messages(observed, base, (name) => name === 'pkg'), ['warning drift pkg@1.1.0 contacted hosts new.example:443, which no recorded version of pkg did (accepted by the policy\'s acceptDrift)']);
  assert.equal([...findDrift(base, observed, { accepts: () => true }).drifted], []);
  assert.equal([...findDrift(base, observed).drifted], ['pkg@1.1.0']);
});

drift('should locate each finding at the package path', () => {
  const [finding] = findDrift(base, [obs('pkg@1.1.0', { hosts: ['new.example:443'] })]).findings;
  assert.equal({ package: finding.package, path: finding.path }, { package: 'pkg@1.1.0', path: 'node_modules/pkg' });
});

drift.run();

// ---

const merge = suite('mergeLock and formatLock');

merge('should record new packages, keep drifted ones as they were, and fold replaced versions into their successor', () => {
  const lock: BehaviourLock = { lockfileVersion: 1, packages: {
    ...base.packages,
    'gone@1.0.0': { scripts: { install: hashScript('x') }, seen: { hosts: [], writes: [], executables: [] } },
  } };
  const merged = mergeLock(lock, [obs('pkg@1.1.0', { integrity: 'sha512-NEW', hosts: [] }), obs('bad@2.0.0'), obs('fresh@1.0.0', { executables: ['sh', 'node'] })], {
    skip: new Set(['bad@2.0.0']),
    installed: new Set(['pkg@1.1.0', 'fresh@1.0.0', 'gone@1.0.0']),
  });
  assert.equal(Object.keys(merged.packages).sort(), ['fresh@1.0.0', 'gone@1.0.0', 'pkg@1.1.0']);
  assert.equal(merged.packages['pkg@1.1.0'].seen.hosts, ['cdn.example:443'], 'the 1.0.0 host carries over, so 1.2.0 is compared with it too');
  assert.is(merged.packages['pkg@1.1.0'].integrity, 'sha512-NEW');
  assert.equal(merged.packages['fresh@1.0.0'].seen.executables, ['node', 'sh']);
  assert.equal(mergeLock(lock, [obs('pkg@1.1.0')]).packages['pkg@1.0.0'], lock.packages['pkg@1.0.0'], 'nothing is pruned without the installed set');
});

merge('should write sorted keys and lists, so the same lock is the same text', () => {
  const a: BehaviourLock = { lockfileVersion: 1, packages: {
    'z@1.0.0': { scripts: { postinstall: 'sha256-' + 'b'.repeat(64), install: 'sha256-' + 'a'.repeat(64) }, seen: { writes: [], hosts: ['b:1', 'a:1'], executables: [] } },
    'a@1.0.0': { integrity: 'sha512-X', seen: { hosts: [], writes: [], executables: [] }, scripts: {} },
  } };
  const text = formatLock(a);
  assert.fixture(text, `{
  "$comment": "safe-install behaviour lock: per package@version, the sha256 of each lifecycle script and what its scripts were seen doing. Commit it; review changes like code; after reviewing drift run \`safe-install lock update\`.",
  "lockfileVersion": 1,
  "packages": {
    "a@1.0.0": {
      "integrity": "sha512-X",
      "scripts": {},
      "seen": {
        "executables": [],
        "hosts": [],
        "writes": []
      }
    },
    "z@1.0.0": {
      "scripts": {
        "install": "sha256-${'a'.repeat(64)}",
        "postinstall": "sha256-${'b'.repeat(64)}"
      },
      "seen": {
        "executables": [],
        "hosts": [
          "a:1",
          "b:1"
        ],
        "writes": []
      }
    }
  }
}
`);
  const reversed: BehaviourLock = { lockfileVersion: 1, packages: Object.fromEntries(Object.entries(a.packages).reverse()) };
  assert.is(formatLock(reversed), text);
});

merge('should write atomically, read back the same lock, and not rewrite an unchanged file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'si-lock-'));
  const file = join(dir, 'safe-install.lock.json');
  assert.is(readLock(file), undefined, 'no lock yet');
  assert.ok(await writeLock(file, base));
  assert.equal(readLock(file), base);
  assert.not.ok(await writeLock(file, base), 'unchanged');
  assert.equal(readLock(file), base);
  assert.is(readFileSync(file, 'utf8'), formatLock(base));
  assert.equal(mergeLock(emptyLock(), []), emptyLock());
});

merge.run();

// ---

const broken = suite('readLock: a broken lock stops the run like a broken policy');

const readError = (text: string): SafeInstallError => {
  const file = join(mkdtempSync(join(tmpdir(), 'si-lock-')), 'safe-install.lock.json');
  writeFileSync(file, text);
  try {
    readLock(file);
  } catch (error) {
    assert.ok(isSafeInstallError(error));
    return error as SafeInstallError;
  }
  throw new Error('readLock accepted a broken lock');
};

broken('should refuse a merge conflict as EPOLICY_PARSE', () => {
  const err = readError('{\n<<<<<<< HEAD\n}');
  assert.is(err.code, 'EPOLICY_PARSE');
  assert.match(err.message, 'is not valid JSON');
});

broken('should refuse a hand-edited hash and name the field', () => {
  const err = readError(JSON.stringify({ lockfileVersion: 1, packages: { 'pkg@1.0.0': { scripts: { postinstall: 'md5-abc' }, seen: { hosts: [], writes: [], executables: [] } } } }));
  assert.is(err.code, 'EPOLICY_INVALID');
  assert.equal(err.details.map((d) => d.path), ['packages.pkg@1.0.0.scripts.postinstall']);
  assert.match(err.message, 'expected sha256-<64 hex digits>');
});

broken('should refuse another format version', () => {
  assert.is(readError(JSON.stringify({ lockfileVersion: 2, packages: {} })).code, 'EPOLICY_INVALID');
});

broken.run();
