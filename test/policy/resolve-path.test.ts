import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, mkdirSync, symlinkSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolvePathPattern, resolvePackagePolicy, diskRealpath, type PolicyContext } from '../../src/policy/index.js';
import { ctx, fakeRealpath, policy, realpath } from './helpers.js';

const write = (pattern: string, options: { allowProjectWrite?: boolean; c?: PolicyContext; rp?: typeof realpath } = {}) =>
  resolvePathPattern(pattern, options.c ?? ctx, { access: 'write', allowProjectWrite: options.allowProjectWrite ?? false, realpath: options.rp ?? realpath });
const read = (pattern: string) => resolvePathPattern(pattern, ctx, { access: 'read', allowProjectWrite: false, realpath });

const lexical = suite('resolvePathPattern (fake disk)');
lexical('should expand variables and drop a trailing /**', () => {
  assert.equal(write('$PKG/build/**'), { path: '/home/u/proj/node_modules/pkg/build' });
  assert.equal(write('$HOME/.cache/node-gyp/**'), { path: '/home/u/.cache/node-gyp' });
  assert.equal(write('$TMP/**'), { path: '/tmp/si-1' });
  assert.equal(read('/usr/include/**'), { path: '/usr/include' });
  assert.equal(write('$PROJECT/.git/config'), { path: '/home/u/proj/.git/config' });
});
lexical('should resolve .. that stays inside the variable', () => {
  assert.equal(write('$PKG/a/../build'), { path: '/home/u/proj/node_modules/pkg/build' });
});
const refusals: [string, 'read' | 'write', RegExp][] = [
  ['$PKG/../../..', 'write', /escapes \$PKG/],
  ['$PKG/../../../.ssh/**', 'read', /escapes \$PKG/],
  ['$HOME/../root', 'read', /escapes \$HOME/],
  ['$HOME/**', 'read', /HOME/],
  ['$HOME', 'write', /HOME/],
  ['/home/u/**', 'read', /HOME/],
  ['/home/**', 'read', /HOME/],
  ['/**', 'read', /whole file system|resolves to \//],
  ['/', 'write', /whole file system|resolves to \//],
  ['$CACHE/**', 'write', /npm cache/],
  ['$PROJECT/**', 'write', /whole project/],
  ['$PROJECT/..', 'write', /escapes/],
  ['/home/u/proj', 'write', /whole project/],
  ['$PKG/*.node', 'write', /glob/],
  ['node_modules/x', 'write', /relative/],
  ['~/.npmrc', 'read', /uses ~/],
  ['$SECRET/x', 'read', /unknown variable/],
];
for (const [pattern, access, reason] of refusals) {
  lexical(`should refuse ${access} ${pattern}`, () => {
    const r = resolvePathPattern(pattern, ctx, { access, allowProjectWrite: false, realpath });
    assert.ok('refused' in r, JSON.stringify(r));
    assert.match((r as { refused: string }).refused, reason);
  });
}
lexical('should allow $PROJECT/** write for root scripts under the project profile only', () => {
  assert.equal(write('$PROJECT/**', { allowProjectWrite: true }), { path: '/home/u/proj' });
});
lexical('should refuse a grant that leaves $PKG through a symlink', () => {
  const rp = fakeRealpath(['/home/u/proj/node_modules/pkg', '/home/u/.ssh'], { '/home/u/proj/node_modules/pkg/build': '/home/u/.ssh' });
  const r = write('$PKG/build/**', { rp });
  assert.ok('refused' in r);
  assert.match((r as { refused: string }).refused, /symbolic link/);
});
lexical('should follow a symlinked $PKG (a linked workspace package) and stay inside it', () => {
  const rp = fakeRealpath(['/home/u/proj/packages/pkg/build'], { '/home/u/proj/node_modules/pkg': '/home/u/proj/packages/pkg' });
  assert.equal(write('$PKG/build/**', { rp }), { path: '/home/u/proj/packages/pkg/build' });
});
lexical('should refuse a cache dir that is a symlink to HOME', () => {
  const rp = fakeRealpath(['/home/u/proj'], { '/home/u/.cache': '/home/u' });
  const r = write('$HOME/.cache/**', { rp });
  assert.ok('refused' in r, JSON.stringify(r));
});
lexical.run();

// ---
const disk = suite('resolvePathPattern (real symlinks)');
let dir = '';
disk.before(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'si-policy-')));
  mkdirSync(join(dir, 'home/.ssh'), { recursive: true });
  mkdirSync(join(dir, 'home/proj/node_modules/pkg'), { recursive: true });
  mkdirSync(join(dir, 'home/.cache'), { recursive: true });
  symlinkSync(join(dir, 'home/.ssh'), join(dir, 'home/proj/node_modules/pkg/out'));
  symlinkSync(join(dir, 'home'), join(dir, 'home/.cache/loop'));
});
disk.after(() => rmSync(dir, { recursive: true, force: true }));
const diskCtx = (): PolicyContext => ({ home: join(dir, 'home'), projectDir: join(dir, 'home/proj'), pkgDir: join(dir, 'home/proj/node_modules/pkg'), tmp: join(dir, 'tmp'), cache: join(dir, 'home/.npm') });
disk('should refuse $PKG/out when out is a symlink to ~/.ssh', () => {
  const r = resolvePathPattern('$PKG/out/**', diskCtx(), { access: 'write', allowProjectWrite: false, realpath: diskRealpath });
  assert.ok('refused' in r, JSON.stringify(r));
});
disk('should refuse $HOME/.cache/loop that points back at HOME', () => {
  const r = resolvePathPattern('$HOME/.cache/loop/**', diskCtx(), { access: 'read', allowProjectWrite: false, realpath: diskRealpath });
  assert.ok('refused' in r, JSON.stringify(r));
});
disk('should resolve a path that does not exist yet below an existing one', () => {
  const r = resolvePathPattern('$HOME/.cache/new/deeper/**', diskCtx(), { access: 'write', allowProjectWrite: false, realpath: diskRealpath });
  assert.equal(r, { path: join(dir, 'home/.cache/new/deeper') });
});
disk('resolvePackagePolicy drops the refused pattern and says why', () => {
  const p = policy({ packages: { pkg: { allow: { write: ['$PKG/out/**', '$HOME/.cache/ok/**'] } } } });
  const r = resolvePackagePolicy(p, { name: 'pkg', version: '1.0.0', isRoot: false }, diskCtx());
  assert.equal(r.grant.write, [join(dir, 'home/.cache/ok')]);
  assert.is(r.refused.length, 1);
  assert.ok(r.reasons.some((s) => s.startsWith('refused $PKG/out/**')));
});
disk.run();

// ---
const grants = suite('resolvePackagePolicy grants');
grants('should layer profile chain, known entry and timeout', () => {
  const r = resolvePackagePolicy(policy(), { name: 'better-sqlite3', version: '12.4.1', isRoot: false }, ctx, { realpath });
  assert.is(r.profile, 'prebuilt-download');
  assert.ok(r.grant.net.includes('github.com:443'));
  assert.ok(r.grant.net.includes('nodejs.org:443'), 'inherits native-build');
  assert.ok(r.grant.write.includes('/home/u/.cache/node-gyp'));
  assert.ok(r.grant.write.includes('/home/u/.npm/_prebuilds'));
  assert.is(r.grant.timeoutMs, 1200 * 1000);
});
grants('should apply an entry timeout in seconds', () => {
  const r = resolvePackagePolicy(policy({ packages: { pkg: { allow: { timeout: 30 } } } }), { name: 'pkg', version: '1.0.0', isRoot: false }, ctx, { realpath });
  assert.is(r.grant.timeoutMs, 30000);
  assert.is(r.profile, 'default');
});
grants('should give root scripts the project profile with .git history protected', () => {
  const r = resolvePackagePolicy(policy(), { name: 'app', version: '1.0.0', isRoot: true }, ctx, { realpath });
  assert.is(r.profile, 'project');
  assert.equal(r.grant.write, ['/home/u/proj/.git', '/home/u/proj']);
  for (const kept of ['objects', 'refs', 'logs', 'HEAD', 'packed-refs', 'index']) assert.ok(r.grant.protect.includes(`/home/u/proj/.git/${kept}`), `.git/${kept} stays read-only`);
  assert.equal(r.grant.net, []);
});
grants('should give a denied package an empty grant', () => {
  const r = resolvePackagePolicy(policy({ packages: { esbuild: { run: false } } }), { name: 'esbuild', version: '0.25.0', isRoot: false }, ctx, { realpath });
  assert.is(r.run, 'deny');
  assert.equal(r.grant.net, []);
});
grants.run();
