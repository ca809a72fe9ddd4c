// The resolved tree as the gates see it: where each package comes from (spec and `resolved`), who asked
// for it, and whether the project named it itself.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { classifyResolved, classifySource, classifySpec, registryOf } from '../../src/gates/classify-source.js';
import { readTree, resolveDependencyPath, type GateLockfile } from '../../src/gates/read-tree.js';

// ---
const specs = suite('classifySpec');
const specTable: [string, string][] = [
  ['^1.2.0', 'registry'],
  ['latest', 'registry'],
  ['', 'registry'],
  ['npm:left-pad@1.3.0', 'registry'],
  ['git+ssh://git@github.com/org/x.git#v1', 'git'],
  ['git+https://github.com/org/x.git', 'git'],
  ['git://github.com/org/x.git', 'git'],
  ['github:org/x', 'git'],
  ['gitlab:org/x#main', 'git'],
  ['bitbucket:org/x', 'git'],
  ['org/x', 'git'],
  ['org/x#semver:^1', 'git'],
  ['https://github.com/org/x.git', 'git'],
  ['http://packages.storeartifact.com/npm/unused-imports', 'remote'],
  ['https://example.com/x-1.0.0.tgz', 'remote'],
  ['file:../x.tgz', 'file'],
  ['file:vendor/x-1.0.0.tar.gz', 'file'],
  ['file:../local-pkg', 'directory'],
  ['./local', 'directory'],
  ['../x.tgz', 'file'],
];
for (const [spec, kind] of specTable) specs(`should classify ${JSON.stringify(spec)} as ${kind}`, () => assert.is(classifySpec(spec), kind));

// ---
const resolvedSuite = suite('classifyResolved and registryOf');
resolvedSuite('should treat an absent resolved as the registry (omit-lockfile-registry-resolved)', () => {
  assert.is(classifyResolved(undefined, 'chalk'), 'registry');
});
resolvedSuite('should tell registry tarballs from other URLs by the <name>/-/ shape', () => {
  assert.is(classifyResolved('https://registry.npmjs.org/chalk/-/chalk-4.1.2.tgz', 'chalk'), 'registry');
  assert.is(classifyResolved('https://npm.corp.example/@org/ui/-/ui-1.0.0.tgz', '@org/ui'), 'registry');
  assert.is(classifyResolved('https://npm.corp.example/@org%2fui/-/ui-1.0.0.tgz', '@org/ui'), 'registry');
  assert.is(classifyResolved('https://evil.example/chalk.tgz', 'chalk'), 'remote');
});
resolvedSuite('should classify git, file and link entries', () => {
  assert.is(classifyResolved('git+ssh://git@github.com/o/x.git#0123abc', 'x'), 'git');
  assert.is(classifyResolved('file:../x.tgz', 'x'), 'file');
  assert.is(classifyResolved('../x', 'x', true), 'directory');
});
resolvedSuite('should let an exotic spec win over a registry-shaped URL (anyone can host that shape)', () => {
  assert.is(classifySource({ resolved: 'http://evil.example/chalk/-/chalk-1.0.0.tgz', specs: ['http://evil.example/chalk/-/chalk-1.0.0.tgz'], name: 'chalk', link: false }), 'remote');
  assert.is(classifySource({ resolved: 'https://registry.npmjs.org/chalk/-/chalk-4.1.2.tgz', specs: ['^4.0.0'], name: 'chalk', link: false }), 'registry');
});
resolvedSuite('should find the registry base of a tarball URL', () => {
  assert.is(registryOf('http://127.0.0.1:4873/fresh-pkg/-/fresh-pkg-1.0.0.tgz', 'fresh-pkg'), 'http://127.0.0.1:4873/');
  assert.is(registryOf('https://r.example/npm/@o/x/-/x-1.0.0.tgz', '@o/x'), 'https://r.example/npm/');
  assert.is(registryOf(undefined, 'x'), undefined);
});

// ---
const lookup = suite('resolveDependencyPath');
lookup('should look in the dependent\'s node_modules, then each parent\'s, as node does', () => {
  const packages = { '': {}, 'node_modules/a': {}, 'node_modules/a/node_modules/b': {}, 'node_modules/b': {}, 'node_modules/c': {} };
  assert.is(resolveDependencyPath(packages, 'node_modules/a', 'b'), 'node_modules/a/node_modules/b');
  assert.is(resolveDependencyPath(packages, 'node_modules/c', 'b'), 'node_modules/b');
  assert.is(resolveDependencyPath(packages, 'node_modules/a/node_modules/b', 'c'), 'node_modules/c');
  assert.is(resolveDependencyPath(packages, '', 'a'), 'node_modules/a');
  assert.is(resolveDependencyPath(packages, 'packages/ws', 'c'), 'node_modules/c');
  assert.is(resolveDependencyPath(packages, '', 'zzz'), undefined);
});

// ---
const tree = suite('readTree');
// A lockfile in the shape npm 11 writes: a direct git dependency, a transitive URL dependency
// (PhantomRaven), an alias, a workspace and a directory dependency.
const LOCK: GateLockfile = {
  lockfileVersion: 3,
  packages: {
    '': { name: 'app', version: '1.0.0', workspaces: ['packages/*'], dependencies: { ui: 'github:org/ui', helper: '^1.0.0', 'my-pad': 'npm:left-pad@1.3.0', local: 'file:../local' } },
    'node_modules/ui': { version: '2.0.0', resolved: 'git+ssh://git@github.com/org/ui.git#0123456789abcdef', bin: { ui: 'cli.js' } },
    'node_modules/helper': { version: '1.0.0', resolved: 'https://registry.npmjs.org/helper/-/helper-1.0.0.tgz', dependencies: { 'ui-styles-pkg': 'http://packages.storeartifact.com/npm/unused-imports' } },
    'node_modules/ui-styles-pkg': { version: '0.0.1', resolved: 'http://packages.storeartifact.com/npm/unused-imports', hasInstallScript: true },
    'node_modules/my-pad': { name: 'left-pad', version: '1.3.0', resolved: 'https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz' },
    'node_modules/ws-a': { resolved: 'packages/a', link: true },
    'packages/a': { name: 'ws-a', version: '0.1.0', dependencies: { helper: '^1.0.0' } },
    'node_modules/local': { resolved: '../local', link: true },
    '../local': { name: 'local', version: '3.0.0', bin: 'bin.js' },
  },
};
tree('should list each installed package once, sorted, with workspaces left out', () => {
  assert.equal(readTree(LOCK).map((e) => e.path), ['node_modules/helper', 'node_modules/local', 'node_modules/my-pad', 'node_modules/ui', 'node_modules/ui-styles-pkg']);
});
tree('should say where each comes from and whether the project named it', () => {
  const rows = readTree(LOCK).map((e) => `${e.path} ${e.source} ${e.direct ? 'direct' : 'transitive'} via=[${e.via.join(',')}]`);
  assert.equal(rows, [
    'node_modules/helper registry direct via=[,packages/a]',
    'node_modules/local directory direct via=[]',
    'node_modules/my-pad registry direct via=[]',
    'node_modules/ui git direct via=[]',
    'node_modules/ui-styles-pkg remote transitive via=[node_modules/helper]',
  ]);
});
tree('should keep the spec the dependent wrote and the real name behind an alias', () => {
  const byPath = Object.fromEntries(readTree(LOCK).map((e) => [e.path, e]));
  assert.is(byPath['node_modules/ui'].spec, 'github:org/ui');
  assert.is(byPath['node_modules/ui-styles-pkg'].spec, 'http://packages.storeartifact.com/npm/unused-imports');
  assert.is(byPath['node_modules/my-pad'].name, 'my-pad');
  assert.is(byPath['node_modules/my-pad'].realName, 'left-pad');
  assert.ok(byPath['node_modules/ui-styles-pkg'].hasInstallScript);
});
tree('should fold a link target into its link (version, bin) and normalise a string bin', () => {
  const local = readTree(LOCK).find((e) => e.path === 'node_modules/local')!;
  assert.is(local.version, '3.0.0');
  assert.equal(local.bin, { local: 'bin.js' });
});
tree('should use package.json for the root when the lockfile has none (npm\'s hidden lockfile)', () => {
  const hidden: GateLockfile = { packages: { 'node_modules/x': { version: '1.0.0', resolved: 'file:../x.tgz' } } };
  assert.is(readTree(hidden)[0].direct, false);
  assert.is(readTree(hidden, { dependencies: { x: 'file:../x.tgz' } })[0].direct, true);
});
tree('should return nothing for a missing or v1 lockfile', () => {
  assert.equal(readTree(undefined), []);
  assert.equal(readTree({ lockfileVersion: 1 }), []);
});

specs.run();
resolvedSuite.run();
lookup.run();
tree.run();
