// The pure core of `safe-install init`: refused writes to patterns, events to a proposal, proposal to text.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generalizeWrite } from '../../src/learn/generalize-write.js';
import { proposeGrants } from '../../src/learn/propose-grants.js';
import { renderNewPolicy, mergeIntoPolicy } from '../../src/learn/render-proposal.js';
import { diffLines } from '../../src/learn/diff-lines.js';
import { defaultPolicy, parsePolicyText } from '../../src/policy/index.js';
import type { InstallReport, ScriptRecord } from '../../src/report/types.js';
import type { SandboxEvent } from '../../src/events/types.js';

const ctx = { home: '/home/u', cache: '/home/u/.npm', projectDir: '/work/app' };

// ---
const generalize = suite('generalizeWrite');

const cases: [string, string, string][] = [
  ['a tool directory in ~/.cache', '/home/u/.cache/tool/v1/blob', '$HOME/.cache/tool/**'],
  ['the tool directory itself (mkdir)', '/home/u/.cache/tool', '$HOME/.cache/tool/**'],
  ['a tool directory in ~/.config', '/home/u/.config/tool/settings.json', '$HOME/.config/tool/**'],
  ['a dot directory of a tool', '/home/u/.electron/x.zip', '$HOME/.electron/**'],
  ['a directory in the npm cache', '/home/u/.npm/_libvips/libvips.tgz', '$CACHE/_libvips/**'],
  ['a tool directory in node_modules', '/work/app/node_modules/.prisma/client/index.js', '$PROJECT/node_modules/.prisma/**'],
  ['~/.bashrc', '/home/u/.bashrc', 'refused'],
  ['a file directly in HOME', '/home/u/.pam_environment', 'refused'],
  ['~/.ssh', '/home/u/.ssh/authorized_keys', 'refused'],
  ['~/.config/gh', '/home/u/.config/gh/hosts.yml', 'refused'],
  ['~/.config/systemd (persistence)', '/home/u/.config/systemd/user/x.service', 'refused'],
  ['~/.local/bin', '/home/u/.local/bin/npm', 'refused'],
  ["npm's content store", '/home/u/.npm/_cacache/index-v5/aa', 'refused'],
  ['a visible directory of HOME', '/home/u/projects/x', 'refused'],
  ['another package', '/work/app/node_modules/victim/index.js', 'refused'],
  ['node_modules/.bin', '/work/app/node_modules/.bin/tsc', 'refused'],
  ['the project sources', '/work/app/.github/workflows/ci.yml', 'refused'],
  ['a system path', '/usr/local/bin/node', 'refused'],
  ['a path escaping with ..', '/home/u/.cache/../.ssh/config', 'refused'],
  ['a hostile directory name with an escape', '/home/u/.cache/\x1b[31m/x', 'refused'],
  ['a directory name with a glob', '/home/u/.cache/*/x', 'refused'],
];
for (const [title, path, expected] of cases) {
  generalize(`should ${expected === 'refused' ? 'refuse' : 'propose for'} ${title}`, () => {
    const w = generalizeWrite(path, ctx);
    assert.is('pattern' in w ? w.pattern : 'refused', expected, JSON.stringify(w));
  });
}

// ---
const propose = suite('proposeGrants');

const script = (name: string, fields: Partial<ScriptRecord> = {}): ScriptRecord => ({
  package: `${name}@1.0.0`, name, version: '1.0.0', identitySource: 'lockfile', path: `node_modules/${name}`, event: 'postinstall',
  command: 'node x.js', outcome: 'ok', exitCode: 0, durationMs: 10, tier: 'process', ...fields,
});
const event = (name: string, fields: Pick<SandboxEvent, 'kind' | 'target' | 'decision'> & Partial<SandboxEvent>): SandboxEvent => ({
  package: `${name}@1.0.0`, path: `node_modules/${name}`, script: 'postinstall', tier: 'process', source: 'strace', ...fields,
});
const report = (scripts: ScriptRecord[], events: SandboxEvent[]): InstallReport => ({
  version: 1, tool: { name: 'safe-install', version: '0' }, command: ['ci'], projectDir: '/work/app', startedAt: '', durationMs: 0,
  npm: { version: '11', exitCode: 0 }, mode: 'audit', sandbox: { kind: 'bwrap', tracing: 'narrow' }, scripts, events, findings: [], exitCode: 0,
});

propose('should grant refused hosts and writes, never secrets, and say why not', () => {
  const p = proposeGrants(report(
    [script('dl'), script('evil'), script('skipped', { outcome: 'denied', reason: 'denied by "skipped" (policy file)' })],
    [
      event('dl', { kind: 'net.connect', target: 'cdn.example.com:443', decision: 'denied', source: 'proxy', detail: 'CONNECT 403 not-granted' }),
      event('dl', { kind: 'net.connect', target: 'cdn.example.com:443', decision: 'denied', source: 'proxy' }),
      event('dl', { kind: 'fs.write', target: '/home/u/.cache', decision: 'denied' }),
      event('dl', { kind: 'fs.write', target: '/home/u/.cache/dl/bin', decision: 'denied' }),
      event('dl', { kind: 'fs.write', target: '/work/app/node_modules/dl/out', decision: 'allowed' }),
      event('evil', { kind: 'fs.read', target: '/home/u/.npmrc', decision: 'denied' }),
      event('evil', { kind: 'fs.write', target: '/home/u/.bashrc', decision: 'denied' }),
      event('evil', { kind: 'net.connect', target: '169.254.169.254:80', decision: 'denied', source: 'proxy' }),
      event('evil', { kind: 'net.connect', target: '10.0.0.8:22', decision: 'denied', source: 'strace' }),
    ]), ctx);
  assert.equal(p.packages.map((x) => [x.name, x.net, x.write]), [['dl', ['cdn.example.com:443'], ['$HOME/.cache/dl/**']], ['evil', [], []]]);
  assert.equal(p.notProposed.map((n) => `${n.package} ${n.target}`), [
    'evil@1.0.0 /home/u/.npmrc', 'evil@1.0.0 /home/u/.bashrc', 'evil@1.0.0 169.254.169.254:80', 'evil@1.0.0 10.0.0.8:22',
  ], 'the mkdir of ~/.cache, a parent of the granted directory, is not listed');
  assert.match(p.notProposed[0].reason, 'never proposed');
  assert.match(p.notObserved[0], 'skipped@1.0.0 postinstall: denied by');
});

propose('should flag a loopback destination and a failed script for review', () => {
  const p = proposeGrants(report([script('local', { outcome: 'failed', exitCode: 1 })],
    [event('local', { kind: 'net.connect', target: '127.0.0.1:4873', decision: 'denied', source: 'proxy', detail: 'GET 403 restricted' })]), ctx);
  assert.equal(p.packages[0].net, ['127.0.0.1:4873']);
  assert.match(p.packages[0].notes.join('\n'), '127.0.0.1:4873 is a loopback destination');
  assert.match(p.packages[0].notes.join('\n'), 'postinstall ended failed (exit 1)');
});

propose('should put the root project under "root" and merge copies of one package', () => {
  const p = proposeGrants(report(
    [script('fixture-project', { identitySource: 'root', path: '' }), script('dup'), script('dup', { path: 'node_modules/a/node_modules/dup', version: '2.0.0' })],
    [
      event('fixture-project', { path: '', kind: 'fs.write', target: '/home/u/.cache/gen/x', decision: 'denied' }),
      event('dup', { path: 'node_modules/a/node_modules/dup', kind: 'net.connect', target: 'a.example:443', decision: 'asked-denied', source: 'proxy' }),
    ]), ctx);
  assert.equal(p.packages.map((x) => [x.isRoot, x.name, x.versions, x.net, x.write]), [
    [true, '', ['1.0.0'], [], ['$HOME/.cache/gen/**']],
    [false, 'dup', ['1.0.0', '2.0.0'], ['a.example:443'], []],
  ]);
});

// ---
const render = suite('renderNewPolicy and mergeIntoPolicy');

const proposal = () => proposeGrants(report(
  [script('fetcher'), script('esbuild', { version: '0.25.0', package: 'esbuild@0.25.0' }), script('plain')],
  [
    event('fetcher', { kind: 'net.connect', target: 'cdn.example.com:443', decision: 'denied', source: 'proxy' }),
    { ...event('esbuild', { kind: 'fs.write', target: '/home/u/.cache/esbuild/bin', decision: 'denied' }), package: 'esbuild@0.25.0' },
  ]), ctx);

render('should write a valid policy grouped by profile, keeping a known package\'s grants', () => {
  const text = renderNewPolicy(proposal(), defaultPolicy(), new Date('2026-01-02T00:00:00Z'));
  assert.fixture(text, [
    '{',
    '  "$schema": "./node_modules/safe-install/schema/policy.schema.json",',
    '  // Proposed by `safe-install init` on 2026-01-02 from what each lifecycle script tried.',
    '  // Review every grant before committing: it is what the scripts did, not what they should do.',
    '  "packages": {',
    `    // profile "default": ${defaultPolicy().profiles.default.description}`,
    '    // esbuild@0.25.0 (postinstall)',
    '    "esbuild": { "profile": "default", "allow": { "net": ["registry.npmjs.org:443"], "env": ["ESBUILD_BINARY_PATH"], "write": ["$HOME/.cache/esbuild/**"] } },',
    '    // fetcher@1.0.0 (postinstall)',
    '    "fetcher": { "allow": { "net": ["cdn.example.com:443"] } },',
    '    // plain@1.0.0 (postinstall)',
    '    "plain": {}',
    '  }',
    '}',
    '',
  ].join('\n'));
  parsePolicyText(text, 'proposed.json');
});

render('should add to an existing policy in place, keeping comments and entries', () => {
  const original = '{\n  // ours\n  "unlisted": "deny",\n  "packages": {\n    "fetcher": { "allow": { "net": ["old.example:443"] } }, // mirror\n    "gone": { "run": false }\n  }\n}\n';
  const policy = parsePolicyText(original, 'p.json');
  const { text } = mergeIntoPolicy(original, proposal(), { ...policy, known: defaultPolicy().known }, 'p.json');
  assert.fixture(text, '{\n  // ours\n  "unlisted": "deny",\n  "packages": {\n    "fetcher": { "allow": { "net": ["old.example:443", "cdn.example.com:443"] } }, // mirror\n    "gone": { "run": false },\n    "esbuild": { "profile": "default", "allow": { "net": ["registry.npmjs.org:443"], "env": ["ESBUILD_BINARY_PATH"], "write": ["$HOME/.cache/esbuild/**"] } },\n    "plain": {}\n  }\n}\n');
  parsePolicyText(text, 'p.json');
});

// ---
const diff = suite('diffLines');

diff('should show changed lines with two lines of context and cut the rest', () => {
  const a = ['{', '  "a": 1,', '  "b": 2,', '  "c": 3,', '  "d": 4,', '  "e": 5', '}'].join('\n');
  const b = ['{', '  "a": 1,', '  "b": 2,', '  "c": 3,', '  "d": 4,', '  "e": 5,', '  "f": 6', '}'].join('\n');
  assert.fixture(diffLines(a, b), ['  …', '    "c": 3,', '    "d": 4,', '-   "e": 5', '+   "e": 5,', '+   "f": 6', '  }'].join('\n'));
});

generalize.run();
propose.run();
render.run();
diff.run();
