// The thin shells around the gates: reading tarballs and npm's cache, npm's settings, the publish-time
// fetch (against a loopback registry stub), how the tree is found, the policy section, and the questions.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readTarball } from '../../src/gates/read-tarball.js';
import { readCacache, readPackageFiles, hasInstallScripts } from '../../src/gates/read-package-files.js';
import { parseNpmSettings, settingFlags } from '../../src/gates/read-npm-settings.js';
import { fetchReleaseTimes, packumentUrl, pickTime } from '../../src/gates/fetch-release-times.js';
import { lockfileMatches, namesPackages } from '../../src/gates/resolve-tree.js';
import { settleGates } from '../../src/gates/settle-gates.js';
import { gateKeysAt } from '../../src/gates/gates-schema.js';
import { checkTreeAfterInstall } from '../../src/gates/check-tree-after-install.js';
import type { TreeCheck } from '../../src/gates/check-tree-before-scripts.js';
import { defaultNpmSettings } from '../../src/gates/types.js';
import { loadGateSettings } from '../../src/gates/load-gate-settings.js';
import { createScriptedPrompter } from '../../src/prompt/index.js';
import { parsePolicyText } from '../../src/policy/index.js';
import { isSafeInstallError } from '../../src/errors.js';
import type { GateResult, TreeEntry } from '../../src/gates/types.js';
import { startRegistryStub } from './helpers.js';

const work = mkdtempSync(join(tmpdir(), 'si-gates-shells-'));

// Pack a directory as npm does (package/ prefix) with the system tar.
function pack(name: string, files: Record<string, string>, extraTarArgs: string[] = []): Buffer {
  const dir = join(work, name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, 'package', file, '..'), { recursive: true });
    writeFileSync(join(dir, 'package', file), text);
  }
  execFileSync('tar', ['-czf', `${dir}.tgz`, ...extraTarArgs, '-C', dir, 'package']);
  return readFileSync(`${dir}.tgz`);
}

// ---
const tarball = suite('readTarball');
tarball('should read the wanted files, without the package/ prefix', () => {
  const tgz = pack('plain', { 'package.json': '{"name":"x"}', 'binding.gyp': "{'targets':[]}", 'src/a.c': 'int x;' });
  const files = readTarball(tgz, (p) => p === 'package.json' || p.endsWith('.gyp'));
  assert.equal([...files.keys()].sort(), ['binding.gyp', 'package.json']);
  assert.is(files.get('binding.gyp')!.toString(), "{'targets':[]}");
});
tarball('should read long names from pax and GNU headers', () => {
  const deep = `${'d'.repeat(60)}/${'e'.repeat(60)}/${'f'.repeat(40)}/common.gypi`;
  for (const format of ['pax', 'gnu']) {
    const tgz = pack(`long-${format}`, { [deep]: "{'x': 1}" }, [`--format=${format}`]);
    assert.equal([...readTarball(tgz, (p) => p.endsWith('.gypi')).keys()], [deep], format);
  }
});
tarball('should skip files over the size limit and names that climb out', () => {
  const tgz = pack('big', { 'big.gyp': 'x'.repeat(5000), 'small.gyp': 'y' });
  assert.equal([...readTarball(tgz, () => true, { maxFileBytes: 1000 }).keys()], ['small.gyp']);
  // A hand-made archive whose entry is `../evil.gyp`.
  const header = Buffer.alloc(512);
  header.write('../evil.gyp', 0);
  header.write('0000001\0', 124);
  header.write('0', 156);
  const tar = Buffer.concat([header, Buffer.from('x'.padEnd(512, '\0')), Buffer.alloc(1024)]);
  assert.equal([...readTarball(gzipSync(tar), () => true).keys()], []);
});
tarball('should refuse an archive that inflates past the limit', () => {
  assert.throws(() => readTarball(gzipSync(Buffer.alloc(2 * 1024 * 1024)), () => true, { maxArchiveBytes: 1024 * 1024 }));
});

// ---
const cache = suite('readCacache and readPackageFiles');
cache('should find a tarball in npm\'s content-addressed cache by integrity, and check its digest', () => {
  const tgz = pack('cached', { 'package.json': '{"scripts":{"postinstall":"node x"}}' });
  const digest = createHash('sha512').update(tgz).digest();
  const hex = digest.toString('hex');
  const dir = join(work, 'cache', '_cacache', 'content-v2', 'sha512', hex.slice(0, 2), hex.slice(2, 4));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, hex.slice(4)), tgz);
  const integrity = `sha512-${digest.toString('base64')}`;
  assert.ok(readCacache(join(work, 'cache'), integrity)?.equals(tgz));
  writeFileSync(join(dir, hex.slice(4)), Buffer.concat([tgz, Buffer.from('tampered')]));
  assert.is(readCacache(join(work, 'cache'), integrity), undefined, 'a corrupt cache entry is not used');
  assert.is(readCacache(join(work, 'cache'), 'sha512-AAAA'), undefined);
});
cache('should read file: tarballs and directories relative to the project', async () => {
  pack('localtgz', { 'package.json': '{"scripts":{"install":"node-gyp rebuild"}}', 'binding.gyp': "{'a': '<!(id)'}" });
  mkdirSync(join(work, 'dirdep'), { recursive: true });
  writeFileSync(join(work, 'dirdep', 'package.json'), '{"scripts":{"test":"x"}}');
  writeFileSync(join(work, 'dirdep', 'binding.gyp'), '{}');
  const base: Omit<TreeEntry, 'path' | 'source' | 'resolved'> = { name: 'x', realName: 'x', version: '1.0.0', link: false, direct: true, via: [''], bin: {}, hasInstallScript: false, dev: false, optional: false };
  const files = await readPackageFiles([
    { ...base, path: 'node_modules/t', source: 'file', resolved: 'file:../localtgz.tgz' },
    { ...base, path: 'node_modules/d', source: 'directory', resolved: '../dirdep', link: true },
    { ...base, path: 'node_modules/gone', source: 'file', resolved: 'file:../missing.tgz' },
  ], { projectDir: join(work, 'project'), env: {}, fetchMissing: false });
  assert.equal(files.get('node_modules/t'), { scripts: { install: 'node-gyp rebuild' }, gyp: [{ file: 'binding.gyp', text: "{'a': '<!(id)'}" }] });
  assert.equal(files.get('node_modules/d'), { scripts: { test: 'x' }, gyp: [{ file: 'binding.gyp', text: '{}' }] });
  assert.is(files.get('node_modules/gone'), undefined);
  assert.ok(hasInstallScripts(files.get('node_modules/d')!), 'a root binding.gyp is an implicit install script');
});

// ---
const settings = suite('npm settings');
settings('should parse `npm config get` output', () => {
  const parsed = parseNpmSettings([
    'allow-git=root', 'allow-remote=none', 'allow-file=all', 'allow-directory=bogus', 'min-release-age=3', 'before=null',
    'min-release-age-exclude=@a/*,b', 'registry=http://127.0.0.1:4873', 'cache=/home/u/.npm', 'package-lock=false',
  ].join('\n'));
  assert.equal(parsed, { allowGit: 'root', allowRemote: 'none', allowFile: 'all', allowDirectory: 'all', minReleaseAgeDays: 3, minReleaseAgeExclude: ['@a/*', 'b'], registry: 'http://127.0.0.1:4873/', cache: '/home/u/.npm', packageLock: false });
  const dated = parseNpmSettings('min-release-age=null\nbefore=Mon Jan 01 2024 00:00:00 GMT+0000 (Coordinated Universal Time)\nmin-release-age-exclude=');
  assert.is(dated.before?.toISOString(), '2024-01-01T00:00:00.000Z');
  assert.is(dated.minReleaseAgeDays, undefined);
});
settings('should pass on only the command-line flags that set those keys', () => {
  assert.equal(settingFlags(['lodash', '--allow-git=none', '--registry', 'http://r/', '--save-dev', '--before', '2024-01-01', '--min-release-age=2']), ['--allow-git=none', '--registry=http://r/', '--before=2024-01-01', '--min-release-age=2']);
});

// ---
const times = suite('fetchReleaseTimes');
times('should build packument URLs for plain and scoped names', () => {
  assert.is(packumentUrl('http://127.0.0.1:1/', 'a'), 'http://127.0.0.1:1/a');
  assert.is(packumentUrl('http://127.0.0.1:1/npm', '@s/x'), 'http://127.0.0.1:1/npm/@s%2Fx');
});
times('should keep string dates of a packument time map', () => {
  assert.equal(pickTime({ created: '2020-01-01', '1.0.0': '2020-01-02', bogus: 3 }), { created: '2020-01-01', '1.0.0': '2020-01-02' });
  assert.is(pickTime(undefined), undefined);
  assert.is(pickTime(['2020-01-01']), undefined);
});
times('should read times from a loopback registry and map a failing name to undefined', async () => {
  const stub = await startRegistryStub([{ name: 'fresh', version: '1.0.0', publishedAt: '2026-01-02T03:04:05.000Z', files: { 'package.json': '{"name":"fresh","version":"1.0.0"}' } }, { name: '@s/x', version: '2.0.0', publishedAt: '2025-01-01T00:00:00.000Z', files: { 'package.json': '{"name":"@s/x","version":"2.0.0"}' } }], work);
  try {
    // npm is not on this PATH, so the `npm view` fallback fails too.
    const result = await fetchReleaseTimes([{ name: 'fresh', registry: stub.url }, { name: '@s/x', registry: stub.url }, { name: 'nope', registry: stub.url }], { env: { PATH: '/nonexistent' }, cwd: work });
    assert.is(result.get('fresh')?.['1.0.0'], '2026-01-02T03:04:05.000Z');
    assert.is(result.get('@s/x')?.['2.0.0'], '2025-01-01T00:00:00.000Z');
    assert.ok(result.has('nope') && result.get('nope') === undefined);
  } finally {
    await stub.close();
  }
});

// ---
const tree = suite('resolveTree helpers');
tree('should tell package arguments from options and their values', () => {
  const table: [string[], boolean][] = [
    [[], false],
    [['--omit', 'dev', '--registry', 'http://r/'], false],
    [['--save-dev', 'left-pad'], true],
    [['-w', 'packages/a'], false],
    [['github:org/x'], true],
  ];
  for (const [args, expected] of table) assert.is(namesPackages(args), expected, args.join(' '));
});
tree('should take the lockfile as the tree only when its root asks for what package.json asks for', () => {
  const lock = { lockfileVersion: 3, packages: { '': { dependencies: { a: '^1.0.0' }, devDependencies: { b: '2' } } } };
  assert.ok(lockfileMatches(lock, { dependencies: { a: '^1.0.0' }, devDependencies: { b: '2' } }));
  assert.not.ok(lockfileMatches(lock, { dependencies: { a: '^1.1.0' }, devDependencies: { b: '2' } }), 'a changed range');
  assert.not.ok(lockfileMatches(lock, { dependencies: { a: '^1.0.0', c: '1' }, devDependencies: { b: '2' } }), 'an added dependency');
  assert.not.ok(lockfileMatches({ ...lock, lockfileVersion: 1 }, { dependencies: { a: '^1.0.0' }, devDependencies: { b: '2' } }), 'a v1 lockfile');
  assert.not.ok(lockfileMatches(lock, { dependencies: { a: '^1.0.0' }, devDependencies: { b: '2' }, workspaces: ['p/*'] }), 'workspaces: npm decides');
});

// ---
const policy = suite('the gates section of the policy');
policy('should fill defaults for an absent section', () => {
  assert.equal(loadGateSettings(undefined).sources, { direct: 'allow', transitive: 'ask', allow: [], deny: [] });
  assert.is(loadGateSettings(undefined).freshReleases.minAgeDays, 0);
});
policy('should read a policy file\'s section, comments allowed', () => {
  const file = join(work, 'policy.json');
  writeFileSync(file, '{ // gates\n "gates": { "sources": { "transitive": "deny" }, "freshReleases": { "minAgeDays": 3 } } }');
  const s = loadGateSettings(file);
  assert.is(s.sources.transitive, 'deny');
  assert.is(s.sources.direct, 'allow');
  assert.is(s.freshReleases.minAgeDays, 3);
});
policy('should report bad gate fields located, with the keys that are allowed', () => {
  const text = '{\n  "gates": {\n    "sources": { "transitve": "deny", "direct": "maybe" },\n    "freshReleases": { "minAgeDays": -1 }\n  }\n}\n';
  try {
    parsePolicyText(text, 'p.json');
    assert.unreachable('should throw');
  } catch (e) {
    assert.ok(isSafeInstallError(e));
    assert.equal(e.details.map((d) => `${d.location?.line}:${d.location?.column} ${d.message}`), [
      '3:18 gates.sources.transitve: unknown key "transitve" (expected direct, transitive, allow, deny)',
      '3:49 gates.sources.direct: not an allowed value (expected one of "allow", "ask", "deny")',
      '4:38 gates.freshReleases.minAgeDays: -1 is out of range (expected a number of days from 0 to 3650)',
    ]);
  }
});
policy('should name the sections of gates in an unknown-key message', () => {
  assert.is(gateKeysAt([]), 'sources, freshReleases, shadowedCommands, gypCommands, newInstallScripts');
  assert.is(gateKeysAt(['shadowedCommands']), 'decision, commands, allow');
});

// ---
const after = suite('checkTreeAfterInstall');
after('should judge only what npm installed beyond the checked tree, as errors (scripts may have run)', () => {
  const project = join(work, 'after');
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ dependencies: { a: '^1.0.0' } }));
  writeFileSync(join(project, 'package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages: {
    '': { dependencies: { a: '^1.0.0' } },
    'node_modules/a': { version: '1.0.0', dependencies: { late: 'https://evil.example/late.tgz' } },
    'node_modules/late': { version: '0.0.1', resolved: 'https://evil.example/late.tgz', bin: { node: 'x.js' } },
  } }));
  const before: TreeCheck = { findings: [], refused: false, how: 'prepass', checked: new Set(['node_modules/a@1.0.0#registry']), results: [], npm: defaultNpmSettings(), durationMs: 0 };
  const findings = checkTreeAfterInstall({ before, projectDir: project, npmExitCode: 0 });
  assert.equal(findings.map((f) => `${f.level} ${f.rule} ${f.package}`), ['error exotic-source late@0.0.1', 'error shadowed-command late@0.0.1']);
  assert.match(findings[0].message, 'Found after npm ran: it was not in the tree checked before the install (the policy says ask: gates.sources.transitive is "ask")');
  assert.equal(checkTreeAfterInstall({ before, projectDir: project, npmExitCode: 1 }), [], 'npm failed: nothing to compare');
  assert.equal(checkTreeAfterInstall({ before: { ...before, checked: new Set() }, projectDir: project, npmExitCode: 0 }), [], 'the gates did not run');
});

// ---
const settle = suite('settleGates');
const result = (pkg: string, decision: GateResult['decision']): GateResult => ({ rule: 'exotic-source', package: pkg, path: `node_modules/${pkg}`, decision, reason: `r-${pkg}`, message: `m-${pkg}`, question: { action: 'be installed from a URL', target: `t-${pkg}`, policyHint: `h-${pkg}` } });
settle('should list allowed results as notes and ask about the rest in order', async () => {
  const prompter = createScriptedPrompter(['allow-once', 'allow-once']);
  const settled = await settleGates([result('a', 'allow'), result('b', 'ask'), result('c', 'ask')], { prompter, interactive: true, audit: false });
  assert.is(settled.refused, false);
  assert.equal(prompter.asked.map((q) => `${q.package} ${q.script} ${q.action} ${q.target} [${q.choices?.join(',')}]`), ['b exotic-source be installed from a URL t-b [allow-once,deny]', 'c exotic-source be installed from a URL t-c [allow-once,deny]']);
  assert.equal(settled.findings.map((f) => `${f.level} ${f.message}`), ['note m-a. Allowed: r-a.', 'warning m-b. Allowed at the prompt (r-b). Policy: h-b', 'warning m-c. Allowed at the prompt (r-c). Policy: h-c']);
});
settle('should stop asking after a refusal', async () => {
  const prompter = createScriptedPrompter(['deny']);
  const settled = await settleGates([result('a', 'ask'), result('b', 'ask')], { prompter, interactive: true, audit: false });
  assert.is(settled.refused, true);
  assert.is(prompter.asked.length, 1);
  assert.equal(settled.outcomes.map((o) => o.outcome), ['asked-denied', 'not-asked']);
});
settle('should refuse ask without asking when nobody can answer, and refuse deny always', async () => {
  const prompter = createScriptedPrompter([]);
  const settled = await settleGates([result('a', 'deny'), result('b', 'ask')], { prompter, interactive: false, audit: false });
  assert.is(settled.refused, true);
  assert.equal(settled.findings.map((f) => `${f.level} ${f.message}`), ['error m-a. Refused: r-a. Policy: h-a', 'error m-b. Not asked, the install was already refused (r-b). Policy: h-b']);
  const alone = await settleGates([result('b', 'ask')], { prompter, interactive: false, audit: false });
  assert.is(alone.findings[0].message, 'm-b. Refused: r-b, nobody to ask (--ci or no terminal). Policy: h-b');
});
settle('should refuse nothing in audit mode and say what enforce would do', async () => {
  const settled = await settleGates([result('a', 'deny'), result('b', 'ask')], { prompter: createScriptedPrompter([]), interactive: true, audit: true });
  assert.is(settled.refused, false);
  assert.equal(settled.findings.map((f) => f.level), ['warning', 'warning']);
  assert.match(settled.findings[0].message, 'Audit mode: not refused, but enforce mode would refuse it (r-a).');
});

tarball.run();
cache.run();
settings.run();
times.run();
after.run();
tree.run();
policy.run();
settle.run();
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
