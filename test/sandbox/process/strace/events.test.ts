import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isNoise, parseStraceLine, sensitivePathMatcher, syscallsToEvents } from '../../../../src/sandbox/process/strace/index.js';
import type { SandboxEvent } from '../../../../src/events/types.js';
import type { Syscall } from '../../../../src/sandbox/process/strace/index.js';
import { HOME, PKG, ctx, parseFixture } from './fixtures.js';

// Reduce events to `kind decision target` lines, dropping noise, for literal comparison.
function summary(events: SandboxEvent[]): string[] {
  return events.filter((e) => !isNoise(e, ctx)).map((e) => `${e.kind} ${e.decision} ${e.target}`);
}
const lines = (text: string): Syscall[] => text.trim().split('\n').map((l) => parseStraceLine(l.trim())!);

// --- recorded runs
const recorded = suite('syscallsToEvents on recorded runs');

recorded('should report hidden secrets, contained persistence and refused writes (secrets.js)', () => {
  const events = syscallsToEvents(parseFixture('secrets'), ctx);
  assert.equal(summary(events), [
    'proc.exec allowed /bin/sh',
    'proc.exec allowed /usr/bin/node',
    `fs.read denied ${HOME}/.npmrc`,
    `fs.read denied ${HOME}/.ssh/id_rsa`,
    `fs.write denied ${HOME}/.bashrc`,
    'fs.write denied /var/tmp/si-strace/project/hooked.js',
    'fs.write denied /usr/lib/evil.so',
    'fs.read allowed /proc/3/environ',
  ]);
  const bashrc = events.find((e) => e.target === `${HOME}/.bashrc`)!;
  assert.match(bashrc.detail!, 'contained in the synthetic HOME');
  assert.is(events.find((e) => e.target.endsWith('hooked.js'))!.detail, 'openat O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC: EROFS');
  for (const e of events) {
    assert.is(e.package, 'evil-pkg@1.0.0');
    assert.is(e.script, 'postinstall');
    assert.is(e.source, 'strace');
    assert.is(e.tier, 'process');
  }
});

recorded('should drop bwrap setup before the script shell starts', () => {
  const events = syscallsToEvents(parseFixture('secrets'), ctx);
  assert.not.ok(events.some((e) => e.target.startsWith('/newroot') || e.target.includes('uid_map')), 'no bwrap mounts or maps');
  assert.is(events[0].target, '/bin/sh');
  assert.is(events[0].at, 0);
  const all = syscallsToEvents(parseFixture('secrets'), { ...ctx, startExec: undefined });
  assert.ok(all.some((e) => e.target.startsWith('/newroot')), 'without startExec everything is kept');
});

recorded('should keep package writes and private /tmp writes, marked as noise', () => {
  const events = syscallsToEvents(parseFixture('secrets'), ctx);
  const built = events.find((e) => e.target === `${PKG}/built.txt`)!;
  const scratch = events.find((e) => e.target === '/tmp/scratch.txt')!;
  assert.is(built.decision, 'allowed');
  assert.ok(isNoise(built, ctx));
  assert.ok(isNoise(scratch, ctx));
  assert.not.ok(isNoise(events.find((e) => e.target === `${HOME}/.bashrc`)!, ctx), 'HOME under /tmp is still not noise');
});

recorded('should report refused connects, resolving non-blocking ones from SO_ERROR (network.js, curl)', () => {
  const events = syscallsToEvents(parseFixture('network'), ctx);
  const net = events.filter((e) => e.kind === 'net.connect');
  assert.equal(net.map((e) => `${e.decision} ${e.target} | ${e.detail}`), [
    'denied /var/run/si-strace-missing.sock | connect: ENOENT',
    'denied 127.0.0.1:9 | connect: ECONNREFUSED (x2)',
    'denied [::1]:9 | connect: ECONNREFUSED',
    'denied /var/run/nscd/socket | connect: ENOENT (x2)',
  ]);
  assert.ok(isNoise(net[3], ctx), 'the nscd probe is noise');
  assert.ok(events.some((e) => e.kind === 'proc.exec' && e.detail === 'curl -s -m 2 http://127.0.0.1:9/x'));
});

recorded('should drop connects to the in-sandbox proxy forwarder', () => {
  const events = syscallsToEvents(parseFixture('network'), { ...ctx, proxyPort: 9 });
  assert.equal(events.filter((e) => e.kind === 'net.connect' && e.target.startsWith('127.')), []);
  assert.ok(events.some((e) => e.target === '[::1]:9'), 'the forwarder listens on 127.0.0.1 only');
});

recorded('should attribute what a double-forked detached child did (detached.js)', () => {
  const events = syscallsToEvents(parseFixture('detached'), ctx);
  const execs = events.filter((e) => e.kind === 'proc.exec');
  assert.is(execs.length, 4, 'sh, node, the child and the grandchild, each with its own argv');
  assert.match(execs[3].detail!, "/usr/bin/node -e require('fs').writeFileSync('daemon-was-here'");
  const daemonWrite = events.find((e) => e.target === `${HOME}/.daemon`)!;
  assert.is(daemonWrite.decision, 'denied');
  assert.is(daemonWrite.pid, execs[3].pid, 'written by the grandchild');
  assert.is(daemonWrite.package, 'evil-pkg@1.0.0');
  assert.ok(events.some((e) => e.target === `${PKG}/daemon-was-here` && e.pid === execs[3].pid));
});

recorded('should report odd file names, a long argv, renames and a read through a planted symlink (argv-escapes.js)', () => {
  const events = syscallsToEvents(parseFixture('argv-escapes'), ctx);
  const odd = `${PKG}/q"uo\\te\tab\nnl-é.txt`;
  assert.ok(events.some((e) => e.kind === 'fs.write' && e.target === odd));
  assert.ok(events.some((e) => e.kind === 'fs.delete' && e.target === odd && e.detail === `rename to ${PKG}/renamed.txt`));
  assert.ok(events.some((e) => e.kind === 'fs.write' && e.target === `${PKG}/sub` && e.detail === 'mkdir'), 'mkdir resolved against the traced cwd');
  assert.equal(events.filter((e) => e.target === '/usr/café "x".txt').map((e) => e.decision), ['denied']);
  const echo = events.find((e) => e.target === '/bin/echo')!;
  assert.ok(echo.detail!.startsWith('/bin/echo arg0 arg1 '));
  assert.ok(echo.detail!.endsWith(' …'), 'cut argv is marked');
  assert.ok(echo.detail!.length < 310);
  const viaLink = events.find((e) => e.kind === 'fs.read')!;
  assert.is(viaLink.target, `${HOME}/.npmrc`);
  assert.is(viaLink.decision, 'denied');
  assert.match(viaLink.detail!, `opened as ${PKG}/sub/link`);
});

recorded('should report every open in audit mode, most of them noise (full trace)', () => {
  const events = syscallsToEvents(parseFixture('secrets-full'), { ...ctx, allReads: true });
  assert.ok(events.filter((e) => e.kind === 'fs.read').length > 15);
  assert.equal(summary(events).filter((l) => l.includes(HOME)), [
    `fs.read denied ${HOME}/.npmrc`, `fs.read denied ${HOME}/.ssh/id_rsa`, `fs.write denied ${HOME}/.bashrc`,
  ]);
  assert.ok(isNoise(events.find((e) => e.target === '/etc/ld.so.cache')!, ctx));
});

recorded.run();

// ---
const rules = suite('syscallsToEvents rules');

rules('should report moving a file out of another package as a denied delete (bun-style rename across binds)', () => {
  const other = '/var/tmp/si-strace/project/node_modules/@oven/bin/bun';
  const events = syscallsToEvents(lines(`1 rename("${other}", "${PKG}/bin/bun.exe") = -1 EXDEV (Invalid cross-device link)`), { ...ctx, startExec: undefined });
  assert.equal(events.map((e) => `${e.kind} ${e.decision} ${e.target}`), [`fs.write allowed ${PKG}/bin/bun.exe`, `fs.delete denied ${other}`]);
  const own = syscallsToEvents(lines(`1 rename("${PKG}/a", "${PKG}/b") = -1 EXDEV (Invalid cross-device link)`), { ...ctx, startExec: undefined });
  assert.not.ok(own.some((e) => e.kind === 'fs.delete'), 'a failed move inside its own dir deletes nothing');
});

rules('should judge writes by result and place', () => {
  const cases: [string, string][] = [
    [`unlink("${HOME}/.npmrc") = -1 ENOENT (No such file or directory)`, `fs.delete denied ${HOME}/.npmrc`],
    ['unlink("/nope") = -1 ENOENT (No such file or directory)', ''],
    ['mkdir("/usr", 0777) = -1 EEXIST (File exists)', ''],
    ['mkdir("/usr/x", 0777) = -1 EROFS (Read-only file system)', 'fs.write denied /usr/x'],
    [`rename("${PKG}/a", "/var/tmp/si-strace/project/node_modules/other/index.js") = -1 EROFS (Read-only file system)`,
      'fs.write denied /var/tmp/si-strace/project/node_modules/other/index.js'],
    [`symlinkat("/etc/passwd", AT_FDCWD<${PKG}>, "p") = 0`, `fs.write allowed ${PKG}/p`],
    [`fchmodat(AT_FDCWD<${HOME}>, ".git/hooks/pre-commit", 0755) = 0`, `fs.write denied ${HOME}/.git/hooks/pre-commit`],
    ['openat(AT_FDCWD</>, "/etc/shadow", O_RDONLY) = -1 EACCES (Permission denied)', 'fs.read denied /etc/shadow'],
    ['openat(AT_FDCWD</>, "/etc/hostname", O_RDONLY) = 3</etc/hostname>', ''],
    ['execve("/usr/local/bin/curl", ["curl"], 0x1 /* 1 var */) = -1 ENOENT (No such file or directory)', ''],
    ['connect(3<socket:[1]>, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("10.0.0.1")}, 16) = -1 ENETUNREACH (Network is unreachable)', 'net.connect denied 10.0.0.1:443'],
  ];
  for (const [line, expected] of cases) {
    const got = syscallsToEvents(lines(`1 ${line}`), { ...ctx, startExec: undefined }).map((e) => `${e.kind} ${e.decision} ${e.target}`);
    assert.equal(got, expected ? [expected] : [], line);
  }
});

rules('should resolve relative paths against chdir, and against the package dir when the cwd is unknown', () => {
  const events = syscallsToEvents(lines(`
    5 chdir("/var/tmp/si-strace/project") = 0
    5 unlink("package-lock.json") = -1 EROFS (Read-only file system)
    6 unlink("x") = 0`), { ...ctx, startExec: undefined });
  assert.equal(events.map((e) => `${e.target} | ${e.detail}`), [
    '/var/tmp/si-strace/project/package-lock.json | unlink: EROFS',
    `${PKG}/x | unlink; relative path resolved against the package dir (cwd unknown)`,
  ]);
});

rules('should merge identical events with a count, keeping the first pid and time', () => {
  const events = syscallsToEvents(lines(`
    5 1.0 execve("/bin/sh", ["sh"], 0x1 /* 1 var */) = 0
    5 1.5 openat(AT_FDCWD</>, "${HOME}/.npmrc", O_RDONLY) = -1 ENOENT (No such file or directory)
    6 2.0 openat(AT_FDCWD</>, "${HOME}/.npmrc", O_RDONLY) = -1 ENOENT (No such file or directory)`), ctx);
  assert.equal(events[1], {
    package: 'evil-pkg@1.0.0', path: 'node_modules/evil-pkg', script: 'postinstall', kind: 'fs.read',
    target: `${HOME}/.npmrc`, decision: 'denied', tier: 'process', source: 'strace',
    detail: 'openat O_RDONLY: ENOENT; hidden by the sandbox (x2)', pid: 5, at: 500,
  });
});

rules('should let a granted writable path and a project under HOME write for real', () => {
  const home = '/home/u';
  const c = { ...ctx, home, pkgDir: '/home/u/proj/node_modules/p', writable: ['/home/u/.cache/p'] };
  const events = syscallsToEvents(lines(`
    1 openat(AT_FDCWD</>, "/home/u/proj/node_modules/p/out", O_WRONLY|O_CREAT, 0666) = 3</home/u/proj/node_modules/p/out>
    1 openat(AT_FDCWD</>, "/home/u/.cache/p/x", O_WRONLY|O_CREAT, 0666) = 3</home/u/.cache/p/x>
    1 openat(AT_FDCWD</>, "/home/u/.profile", O_WRONLY|O_APPEND) = 3</home/u/.profile>`), { ...c, startExec: undefined });
  assert.equal(events.map((e) => `${e.decision} ${e.target}`), [
    'allowed /home/u/proj/node_modules/p/out', 'allowed /home/u/.cache/p/x', 'denied /home/u/.profile',
  ]);
});

rules('should treat a missing file in a granted place as missing, not hidden; a missing secret elsewhere stays denied', () => {
  const home = '/home/u';
  const c = { ...ctx, home, pkgDir: '/home/u/proj/node_modules/p', readable: ['/home/u/.cache/node-gyp'], writable: ['/home/u/.npm/_prebuilds'], startExec: undefined };
  const events = syscallsToEvents(lines(`
    1 openat(AT_FDCWD</>, "/home/u/.cache/node-gyp/20.20.2/include/node/stdc-predef.h", O_RDONLY) = -1 ENOENT (No such file or directory)
    1 openat(AT_FDCWD</>, "/home/u/.cache/node-gyp/20.20.2/include/node/node.h", O_RDONLY) = 3</home/u/.cache/node-gyp/20.20.2/include/node/node.h>
    1 unlink("/home/u/.npm/_prebuilds/abc-x.tar.gz.1234.tmp") = -1 ENOENT (No such file or directory)
    1 openat(AT_FDCWD</>, "/home/u/.npm/_prebuilds/abc-x.tar.gz", O_WRONLY|O_CREAT|O_EXCL, 0666) = -1 EEXIST (File exists)
    1 openat(AT_FDCWD</>, "/home/u/.prebuild-installrc", O_RDONLY) = -1 ENOENT (No such file or directory)
    1 unlink("/home/u/.ssh/known_hosts") = -1 ENOENT (No such file or directory)`), c);
  assert.equal(events.map((e) => `${e.kind} ${e.decision} ${e.target}`), [
    'fs.read allowed /home/u/.cache/node-gyp/20.20.2/include/node/node.h',
    'fs.write allowed /home/u/.npm/_prebuilds/abc-x.tar.gz',
    'fs.read denied /home/u/.prebuild-installrc',
    'fs.delete denied /home/u/.ssh/known_hosts',
  ]);
});

rules.run();

// ---
const sensitive = suite('sensitivePathMatcher');

sensitive('should flag HOME dot entries, project .env and .npmrc, and system secrets', () => {
  const is = sensitivePathMatcher({ home: '/home/u', projectDir: '/home/u/proj' });
  for (const p of ['/home/u/.npmrc', '/home/u/.ssh/id_rsa', '/home/u/.aws/credentials', '/home/u/.config/gh/hosts.yml',
    '/home/u/proj/.env', '/home/u/proj/.env.local', '/home/u/proj/.npmrc', '/proc/1/environ', '/proc/self/environ',
    '/etc/shadow', '/root/.bash_history', '/run/secrets/token']) assert.ok(is(p), p);
  for (const p of ['/home/u/proj/index.js', '/home/u/notes.txt', '/etc/passwd', '/proc/self/maps', '/usr/lib/libc.so.6'])
    assert.not.ok(is(p), p);
});

sensitive.run();
