import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { diffSnapshots } from '../../src/watch/diff-snapshots.js';
import { mergeChanges } from '../../src/watch/merge-changes.js';
import { isWatchedPath, listWatchTargets } from '../../src/watch/list-watch-targets.js';
import type { Fingerprint } from '../../src/watch/take-snapshot.js';

const file = (sha256: string, mtimeMs = 1): Fingerprint => ({ type: 'file', mode: 0o100644, size: 1, mtimeMs, sha256 });

// ---
const diff = suite('diffSnapshots');

diff('should list added, changed and removed paths by path', () => {
  const before = new Map([['/a', file('1')], ['/b', file('2')], ['/d', { type: 'dir' } as Fingerprint]]);
  const after = new Map([['/b', file('3')], ['/c', file('4')], ['/d', { type: 'dir' } as Fingerprint]]);
  assert.equal(diffSnapshots(before, after, 9), [
    { path: '/a', change: 'removed', at: 9 },
    { path: '/b', change: 'changed', at: 9 },
    { path: '/c', change: 'added', at: 9 },
  ]);
});

diff('should see a chmod and a touch, not a directory whose entries moved', () => {
  const before = new Map([['/hook', file('1')], ['/rc', file('1', 1)]]);
  const after = new Map([['/hook', { ...file('1'), mode: 0o100755 }], ['/rc', file('1', 2)]]);
  assert.equal(diffSnapshots(before, after, 1).map((c) => c.path), ['/hook', '/rc']);
});

// ---
const merge = suite('mergeChanges');

merge('should keep the snapshot verdict, timed by the first live event', () => {
  const live = [
    { path: '/x', change: 'added' as const, at: 5 },
    { path: '/x', change: 'changed' as const, at: 6 },
  ];
  assert.equal(mergeChanges(live, [{ path: '/x', change: 'added', at: 100 }]), [{ path: '/x', change: 'added', at: 5 }]);
});

merge('should keep live events the snapshot cannot see, once per kind', () => {
  const live = [
    { path: '/t', change: 'added' as const, at: 1 },
    { path: '/t', change: 'changed' as const, at: 2 },
    { path: '/t', change: 'changed' as const, at: 3 },
    { path: '/t', change: 'removed' as const, at: 4 },
  ];
  assert.equal(mergeChanges(live, []).map((c) => c.change), ['added', 'changed', 'removed']);
});

// ---
const targets = suite('listWatchTargets');

targets('should name the shallow places and filter HOME to dotfiles', () => {
  const t = listWatchTargets({ projectDir: '/p', home: '/h' });
  assert.equal(t.map((x) => x.path), [
    '/p', '/p/.git/hooks', '/p/.git/config', '/p/.github', '/p/.github/workflows',
    '/h', '/h/.ssh', '/h/.aws', '/h/.config', '/h/.config/systemd/user', '/h/.npm', '/h/.npmrc',
  ]);
  assert.ok(isWatchedPath(t, '/h/.bashrc'));
  assert.not.ok(isWatchedPath(t, '/h/Documents'), 'non-dot HOME entries are not watched');
  assert.not.ok(isWatchedPath(t, '/p/node_modules'), 'node_modules is npm\'s');
  assert.ok(isWatchedPath(t, '/p/.npmrc'));
  assert.not.ok(isWatchedPath(t, '/p/src/index.js'), 'depth 1 is not watched');
  assert.ok(isWatchedPath(t, '/h/.npm/_cacache'), 'entries of ~/.npm are watched (npm-owned ones are explained later)');
});

diff.run();
merge.run();
targets.run();
