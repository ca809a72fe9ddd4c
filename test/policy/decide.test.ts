import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decide, decideEnforced, mergeAllowScripts, parseAllowScripts, resolvePackagePolicy, type LoadedPolicy, type PolicyRequest, type Decision, type PackageIdentity } from '../../src/policy/index.js';
import { ctx, policy, realpath } from './helpers.js';

const id = (name: string, version?: string, isRoot = false): PackageIdentity => ({ name, version, isRoot });
const script = (name: string, version?: string, isRoot = false): PolicyRequest => ({ kind: 'script', name, version, event: 'postinstall', isRoot });
const act = (identity: PackageIdentity, rest: Record<string, unknown>): PolicyRequest => ({ ...rest, identity, ctx } as PolicyRequest);
const withAllowScripts = (p: LoadedPolicy, allowScripts: Record<string, unknown>) =>
  mergeAllowScripts(p, parseAllowScripts(JSON.stringify({ name: 'app', allowScripts }), 'package.json'));

const pkg = id('pkg', '1.0.0');
// A policy whose entry skipped the loader's checks, to test that resolution refuses on its own.
const unchecked = (allow: Record<string, string[]>): LoadedPolicy => {
  const p = policy({ packages: { pkg: {} } });
  p.entries[0].allow = allow;
  return p;
};
const P = policy;
type Case = [title: string, policy: LoadedPolicy, request: PolicyRequest, expected: Decision];

const cases: Case[] = [
  // --- scripts: deny wins
  ['deny by bare name', P({ packages: { pkg: { run: false } } }), script('pkg', '1.0.0'), 'deny'],
  ['deny by bare name beats allow by exact version', P({ packages: { pkg: { run: false }, 'pkg@1.0.0': { run: true } } }), script('pkg', '1.0.0'), 'deny'],
  ['deny by exact version beats allow by bare name', P({ packages: { pkg: {}, 'pkg@1.0.0': { run: false } } }), script('pkg', '1.0.0'), 'deny'],
  ['deny by version list covers each listed version', P({ packages: { 'pkg@1.0.0 || 1.0.1': { run: false } } }), script('pkg', '1.0.1'), 'deny'],
  ['deny by version does not touch other versions', P({ unlisted: 'deny', packages: { pkg: {}, 'pkg@1.0.0': { run: false } } }), script('pkg', '2.0.0'), 'allow'],
  ['allowScripts false beats a policy-file allow', withAllowScripts(P({ packages: { pkg: {} } }), { pkg: false }), script('pkg', '1.0.0'), 'deny'],
  ['policy-file deny beats allowScripts true', withAllowScripts(P({ packages: { pkg: { run: false } } }), { pkg: true }), script('pkg', '1.0.0'), 'deny'],
  ['allowScripts versioned deny beats a bare allow', withAllowScripts(P({ packages: { pkg: {} } }), { 'pkg@1.0.0': false }), script('pkg', '1.0.0'), 'deny'],
  // --- scripts: version forms
  ['exact version allow with unlisted deny', P({ unlisted: 'deny', packages: { 'pkg@1.0.0': {} } }), script('pkg', '1.0.0'), 'allow'],
  ['exact version does not match another version', P({ unlisted: 'deny', packages: { 'pkg@1.0.0': {} } }), script('pkg', '1.0.2'), 'deny'],
  ['version list matches the second version', P({ unlisted: 'deny', packages: { 'pkg@1.0.0 || 1.0.2': {} } }), script('pkg', '1.0.2'), 'allow'],
  ['versioned key never matches an unknown version', P({ unlisted: 'deny', packages: { 'pkg@1.0.0': {} } }), script('pkg'), 'deny'],
  ['bare key matches a package without version', P({ unlisted: 'deny', packages: { pkg: {} } }), script('pkg'), 'allow'],
  ['scoped bare name', P({ unlisted: 'deny', packages: { '@scope/x': {} } }), script('@scope/x', '3.0.0'), 'allow'],
  ['scoped exact version', P({ unlisted: 'deny', packages: { '@scope/x@3.0.0': {} } }), script('@scope/x', '3.0.0'), 'allow'],
  ['a name is not a prefix match', P({ unlisted: 'deny', packages: { pkg: {} } }), script('pkg-evil', '1.0.0'), 'deny'],
  ['allowScripts true approves under unlisted deny', withAllowScripts(P({ unlisted: 'deny' }), { 'pkg@1.0.0': true }), script('pkg', '1.0.0'), 'allow'],
  // --- scripts: unlisted in each mode
  ['unlisted sandbox runs', P({ unlisted: 'sandbox' }), script('other', '1.0.0'), 'allow'],
  ['unlisted deny skips', P({ unlisted: 'deny' }), script('other', '1.0.0'), 'deny'],
  ['unlisted ask asks', P({ unlisted: 'ask' }), script('other', '1.0.0'), 'ask'],
  ['no file: the default policy sandboxes', P(), script('other', '1.0.0'), 'allow'],
  ['a known package is still unlisted under deny', P({ unlisted: 'deny' }), script('esbuild', '0.25.0'), 'deny'],
  ['audit mode turns a deny into allow', P({ mode: 'audit', packages: { pkg: { run: false } } }), script('pkg', '1.0.0'), 'allow'],
  ['audit mode turns ask into allow', P({ mode: 'audit', unlisted: 'ask' }), script('other', '1.0.0'), 'allow'],
  // --- root scripts
  ['root scripts run by default', P(), script('app', '1.0.0', true), 'allow'],
  ['root.run false denies root scripts', P({ root: { run: false } }), script('app', '1.0.0', true), 'deny'],
  ['root ignores package entries with its name', P({ root: { run: true }, packages: { app: { run: false } } }), script('app', '1.0.0', true), 'allow'],
  ['root ignores unlisted deny', P({ unlisted: 'deny' }), script('app', '1.0.0', true), 'allow'],
  ['root script writes the project', P(), act(id('app', '1.0.0', true), { kind: 'fs.write', path: '/home/u/proj/dist/out.js' }), 'allow'],
  ['root script cannot write .git/objects', P(), act(id('app', '1.0.0', true), { kind: 'fs.write', path: '/home/u/proj/.git/objects/ab' }), 'ask'],
  ['root script may write .git/hooks (husky)', P(), act(id('app', '1.0.0', true), { kind: 'fs.write', path: '/home/u/proj/.git/hooks/pre-commit' }), 'allow'],
  ['root script may write .git/config (husky)', P(), act(id('app', '1.0.0', true), { kind: 'fs.write', path: '/home/u/proj/.git/config' }), 'allow'],
  ['root script under default profile cannot write the project', P({ root: { profile: 'default' } }), act(id('app', '1.0.0', true), { kind: 'fs.write', path: '/home/u/proj/dist/out.js' }), 'ask'],
  // --- files
  ['package writes its own dir', P(), act(pkg, { kind: 'fs.write', path: '/home/u/proj/node_modules/pkg/build/a.node' }), 'allow'],
  ['package writes private tmp', P(), act(pkg, { kind: 'fs.write', path: '/tmp/si-1/x' }), 'allow'],
  ['package writing another package asks', P(), act(pkg, { kind: 'fs.write', path: '/home/u/proj/node_modules/other/index.js' }), 'ask'],
  ['package deleting the project package.json asks', P(), act(pkg, { kind: 'fs.delete', path: '/home/u/proj/package.json' }), 'ask'],
  ['package writing ~/.bashrc asks', P(), act(pkg, { kind: 'fs.write', path: '/home/u/.bashrc' }), 'ask'],
  ['lexical .. in a request is resolved', P(), act(pkg, { kind: 'fs.write', path: '/home/u/proj/node_modules/pkg/../../../.bashrc' }), 'ask'],
  ['reading ~/.ssh asks', P(), act(pkg, { kind: 'fs.read', path: '/home/u/.ssh/id_ed25519' }), 'ask'],
  ['reading the project .npmrc asks', P(), act(pkg, { kind: 'fs.read', path: '/home/u/proj/.npmrc' }), 'ask'],
  ['reading the project .env asks', P(), act(pkg, { kind: 'fs.read', path: '/home/u/proj/.env.local' }), 'ask'],
  ['reading another package is fine', P(), act(pkg, { kind: 'fs.read', path: '/home/u/proj/node_modules/@esbuild/linux-x64/bin/esbuild' }), 'allow'],
  ['reading system headers is fine', P(), act(pkg, { kind: 'fs.read', path: '/usr/include/stdio.h' }), 'allow'],
  ['reading /proc/1/environ asks', P(), act(pkg, { kind: 'fs.read', path: '/proc/1/environ' }), 'ask'],
  ['reading the npm cache asks', P(), act(pkg, { kind: 'fs.read', path: '/home/u/.npm/_cacache/index' }), 'ask'],
  ['entry grant opens a HOME cache for write', P({ packages: { pkg: { allow: { write: ['$HOME/.cache/pkg/**'] } } } }), act(pkg, { kind: 'fs.write', path: '/home/u/.cache/pkg/bin' }), 'allow'],
  ['entry grant does not open a sibling', P({ packages: { pkg: { allow: { write: ['$HOME/.cache/pkg/**'] } } } }), act(pkg, { kind: 'fs.write', path: '/home/u/.cache/pkg2/bin' }), 'ask'],
  ['profile grant: native-build writes the node-gyp cache', P({ packages: { pkg: { profile: 'native-build' } } }), act(pkg, { kind: 'fs.write', path: '/home/u/.cache/node-gyp/20.0.0/include' }), 'allow'],
  ['profile plus entry grants add up', P({ packages: { pkg: { profile: 'native-build', allow: { read: ['$HOME/.config/pkg/**'] } } } }), act(pkg, { kind: 'fs.read', path: '/home/u/.cache/node-gyp/x' }), 'allow'],
  ['a denied package may do nothing', P({ packages: { pkg: { run: false } } }), act(pkg, { kind: 'fs.write', path: '/home/u/proj/node_modules/pkg/a' }), 'deny'],
  ['git-hooks profile writes hooks only', P({ packages: { pkg: { profile: 'git-hooks' } } }), act(pkg, { kind: 'fs.write', path: '/home/u/proj/.git/hooks/pre-push' }), 'allow'],
  ['git-hooks profile cannot write refs', P({ packages: { pkg: { profile: 'git-hooks' } } }), act(pkg, { kind: 'fs.write', path: '/home/u/proj/.git/refs/heads/main' }), 'ask'],
  ['project profile on a package does not grant the project', P({ packages: { pkg: { profile: 'project' } } }), act(pkg, { kind: 'fs.write', path: '/home/u/proj/src/index.js' }), 'ask'],
  // --- path tricks in grants
  ['$PKG/../../.. grant is refused (even past the loader)', unchecked({ write: ['$PKG/../../../.ssh/**'] }), act(pkg, { kind: 'fs.write', path: '/home/u/.ssh/authorized_keys' }), 'ask'],
  ['absolute HOME grant is refused', P({ packages: { pkg: { allow: { read: ['/home/u/**'] } } } }), act(pkg, { kind: 'fs.read', path: '/home/u/.aws/credentials' }), 'ask'],
  ['$CACHE/** write is refused', P({ packages: { pkg: { allow: { write: ['$CACHE/**'] } } } }), act(pkg, { kind: 'fs.write', path: '/home/u/.npm/_cacache/x' }), 'ask'],
  ['$PROJECT/** write is refused for a package', P({ packages: { pkg: { allow: { write: ['$PROJECT/**'] } } } }), act(pkg, { kind: 'fs.write', path: '/home/u/proj/index.js' }), 'ask'],
  // --- network
  ['known esbuild reaches the registry', P(), act(id('esbuild', '0.25.0'), { kind: 'net.connect', host: 'registry.npmjs.org', port: 443 }), 'allow'],
  ['known esbuild does not reach other hosts', P(), act(id('esbuild', '0.25.0'), { kind: 'net.connect', host: 'evil.example', port: 443 }), 'ask'],
  ['a policy entry with allow replaces the known grant', P({ packages: { esbuild: { allow: { env: ['X'] } } } }), act(id('esbuild', '0.25.0'), { kind: 'net.connect', host: 'registry.npmjs.org', port: 443 }), 'ask'],
  ['a bare approval keeps the known grant', P({ packages: { esbuild: {} } }), act(id('esbuild', '0.25.0'), { kind: 'net.connect', host: 'registry.npmjs.org', port: 443 }), 'allow'],
  ['known range: sharp 0.32 downloads libvips from github', P(), act(id('sharp', '0.32.6'), { kind: 'net.connect', host: 'github.com', port: 443 }), 'allow'],
  ['known range: sharp 0.33 does not', P(), act(id('sharp', '0.33.5'), { kind: 'net.connect', host: 'github.com', port: 443 }), 'ask'],
  ['wildcard covers a subdomain', P({ packages: { pkg: { allow: { net: ['*.example.com:443'] } } } }), act(pkg, { kind: 'net.connect', host: 'cdn.example.com', port: 443 }), 'allow'],
  ['wildcard does not cover the apex', P({ packages: { pkg: { allow: { net: ['*.example.com:443'] } } } }), act(pkg, { kind: 'net.connect', host: 'example.com', port: 443 }), 'ask'],
  ['wildcard does not cover a look-alike', P({ packages: { pkg: { allow: { net: ['*.example.com:443'] } } } }), act(pkg, { kind: 'net.connect', host: 'evilexample.com', port: 443 }), 'ask'],
  ['port must match', P({ packages: { pkg: { allow: { net: ['example.com:443'] } } } }), act(pkg, { kind: 'net.connect', host: 'example.com', port: 80 }), 'ask'],
  ['host:* covers any port', P({ packages: { pkg: { allow: { net: ['example.com:*'] } } } }), act(pkg, { kind: 'net.connect', host: 'EXAMPLE.com.', port: 8443 }), 'allow'],
  ['cloud metadata is denied', P(), act(pkg, { kind: 'net.connect', host: '169.254.169.254', port: 80 }), 'deny'],
  ['loopback is denied', P(), act(pkg, { kind: 'net.connect', host: '127.0.0.1', port: 22 }), 'deny'],
  ['a granted loopback port is allowed', P({ packages: { pkg: { allow: { net: ['127.0.0.1:8080'] } } } }), act(pkg, { kind: 'net.connect', host: '127.0.0.1', port: 8080 }), 'allow'],
  // --- exec
  ['default profile may start anything', P(), act(pkg, { kind: 'proc.exec', file: '/usr/bin/curl' }), 'allow'],
  // --- env
  ['secrets are denied, never asked', P(), act(pkg, { kind: 'env.read', name: 'NPM_TOKEN' }), 'deny'],
  ['AWS keys are denied', P(), act(pkg, { kind: 'env.read', name: 'AWS_SECRET_ACCESS_KEY' }), 'deny'],
  ['a named secret is allowed', P({ packages: { pkg: { allow: { env: ['GITHUB_TOKEN'] } } } }), act(pkg, { kind: 'env.read', name: 'GITHUB_TOKEN' }), 'allow'],
  ['base variables are allowed', P(), act(pkg, { kind: 'env.read', name: 'npm_config_nodedir' }), 'allow'],
  ['other variables are asked', P(), act(pkg, { kind: 'env.read', name: 'MY_FLAG' }), 'ask'],
  ['known core-js reads ADBLOCK', P(), act(id('core-js', '3.40.0'), { kind: 'env.read', name: 'ADBLOCK' }), 'allow'],
  ['audit mode allows a secret read (recorded as a deviation)', P({ mode: 'audit' }), act(pkg, { kind: 'env.read', name: 'NPM_TOKEN' }), 'allow'],
];

const table = suite('decide table');
for (const [title, p, request, expected] of cases) {
  table(title, () => {
    assert.is(decide(p, request, { realpath }), expected);
  });
}
table('has at least 40 cases', () => {
  assert.ok(cases.length >= 40, String(cases.length));
});
table.run();

// ---
const exec = suite('exec grants');
const esbuildOnly = (): LoadedPolicy => {
  const p = policy({ packages: { pkg: { allow: { exec: ['node', '/usr/bin/make'] } } } });
  p.profiles = { ...p.profiles, default: { ...p.profiles.default, execAny: false } };
  return p;
};
exec('a named executable on the system is allowed when exec is restricted', () => {
  assert.is(decide(esbuildOnly(), act(pkg, { kind: 'proc.exec', file: '/usr/bin/node' }), { realpath }), 'allow');
});
exec('a binary planted in the package dir does not match by name', () => {
  assert.is(decide(esbuildOnly(), act(pkg, { kind: 'proc.exec', file: '/home/u/proj/node_modules/pkg/node' }), { realpath }), 'ask');
});
exec('an absolute grant matches exactly', () => {
  assert.is(decide(esbuildOnly(), act(pkg, { kind: 'proc.exec', file: '/usr/bin/make' }), { realpath }), 'allow');
  assert.is(decide(esbuildOnly(), act(pkg, { kind: 'proc.exec', file: '/usr/bin/curl' }), { realpath }), 'ask');
});
exec.run();

// ---
const audit = suite('audit mode');
audit('decideEnforced says what enforce would have said', () => {
  const p = policy({ mode: 'audit', packages: { pkg: { run: false } } });
  assert.is(decide(p, script('pkg', '1.0.0')), 'allow');
  assert.is(decideEnforced(p, script('pkg', '1.0.0')), 'deny');
});
audit('a pre-resolved grant is used as given', () => {
  const p = policy();
  const resolved = resolvePackagePolicy(p, pkg, ctx, { realpath });
  resolved.grant.net.push('example.org:443');
  assert.is(decide(p, { kind: 'net.connect', host: 'example.org', port: 443, identity: pkg, ctx, resolved }), 'allow');
});
audit.run();
