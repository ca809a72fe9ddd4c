import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createStraceParser, decodeStraceString, parseStraceLine } from '../../../../src/sandbox/process/strace/index.js';
import { PKG, parseFixture, readFixture } from './fixtures.js';

// --- single lines, copied from the recorded fixtures
const line = suite('parseStraceLine');

line('should parse an openat with -y decorations and a returned fd path', () => {
  const c = parseStraceLine(`15009 1796076191.101 openat(AT_FDCWD<${PKG}>, "../../hooked.js", O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0666) = -1 EROFS (Read-only file system)`)!;
  assert.is(c.pid, 15009);
  assert.is(c.time, 1796076191.101);
  assert.is(c.name, 'openat');
  assert.equal(c.args, [`AT_FDCWD<${PKG}>`, '"../../hooked.js"', 'O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC', '0666']);
  assert.is(c.path, '../../hooked.js');
  assert.is(c.dir, PKG);
  assert.is(c.cwd, PKG);
  assert.is(c.flags, 'O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC');
  assert.is(c.ret, -1);
  assert.is(c.errno, 'EROFS');
});

line('should read the real path of a returned fd', () => {
  const c = parseStraceLine('15009 1.5 openat(AT_FDCWD</x>, "/proc/self/environ", O_RDONLY|O_CLOEXEC) = 18</proc/3/environ>')!;
  assert.is(c.ret, 18);
  assert.is(c.retPath, '/proc/3/environ');
});

line('should decode quotes, backslashes, tabs, newlines and octal UTF-8 in paths and decorations', () => {
  const c = parseStraceLine(String.raw`15553 1.0 openat(AT_FDCWD</p>, "q\"uo\\te\tab\nnl-\303\251.txt", O_WRONLY|O_CREAT, 0666) = 18</p/q\"uo\\te\tab\nnl-\303\251.txt>`)!;
  assert.is(c.path, 'q"uo\\te\tab\nnl-é.txt');
  assert.is(c.retPath, '/p/q"uo\\te\tab\nnl-é.txt');
});

line('should decode hex escapes (-x) and mark truncated strings', () => {
  assert.equal(decodeStraceString(String.raw`"caf\xc3\xa9"`), { value: 'café', truncated: false });
  assert.equal(decodeStraceString('"abc"...'), { value: 'abc', truncated: true });
  assert.equal(decodeStraceString(String.raw`"\0\1\177"`), { value: '\0\x01\x7f', truncated: false });
});

line('should keep commas inside strings, brackets and decorations in one argument', () => {
  const c = parseStraceLine('1 rename("a,b", "c(d") = 0')!;
  assert.equal(c.args, ['"a,b"', '"c(d"']);
  assert.is(c.path, 'a,b');
  assert.is(c.path2, 'c(d');
  assert.ok(c.cwdRelative);
});

line('should decode an execve argv, its comment and a truncated element', () => {
  const text = readFixture('argv-escapes').split('\n').find((l) => l.includes('execve("/bin/echo"'))!;
  const c = parseStraceLine(text)!;
  assert.is(c.path, '/bin/echo');
  assert.is(c.execArgv!.length, 42);
  assert.equal(c.execArgv!.slice(0, 3), ['/bin/echo', 'arg0', 'arg1']);
  assert.is(c.execArgv![41], 'L'.repeat(1024));
  assert.ok(c.execArgvTruncated);
  assert.is(c.args[2], '0x19f94b00 /* 3 vars */');
  assert.is(c.ret, 0);
});

line('should mark an argv cut by strace with a trailing ...', () => {
  const c = parseStraceLine('7 execve("/bin/x", ["x", "a", ...], 0x1 /* 2 vars */) = 0')!;
  assert.equal(c.execArgv, ['x', 'a']);
  assert.ok(c.execArgvTruncated);
});

line('should decode AF_INET, AF_INET6 and AF_UNIX socket addresses', () => {
  const v4 = parseStraceLine('10743 1.0 connect(20<socket:[25255]>, {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("127.0.0.1")}, 16) = -1 EINPROGRESS (Operation now in progress)')!;
  assert.equal(v4.sockaddr, { family: 'AF_INET', port: 9, host: '127.0.0.1' });
  assert.is(v4.socket, 'socket:[25255]');
  assert.is(v4.fd, 20);
  assert.is(v4.errno, 'EINPROGRESS');
  const v6 = parseStraceLine('10743 connect(21<socket:[1]>, {sa_family=AF_INET6, sin6_port=htons(9), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = -1 ECONNREFUSED (Connection refused)')!;
  assert.equal(v6.sockaddr, { family: 'AF_INET6', port: 9, host: '::1' });
  const un = parseStraceLine('5 connect(3, {sa_family=AF_UNIX, sun_path=@"abs\\"tract"}, 110) = 0')!;
  assert.equal(un.sockaddr, { family: 'AF_UNIX', path: '@abs"tract' });
  assert.is(un.socket, '3');
});

line('should read the result of a non-blocking connect from getsockopt(SO_ERROR)', () => {
  assert.is(parseStraceLine('1 getsockopt(20<socket:[25255]>, SOL_SOCKET, SO_ERROR, [ECONNREFUSED], [4]) = 0')!.soError, 'ECONNREFUSED');
  assert.is(parseStraceLine('1 getsockopt(5, SOL_SOCKET, SO_ERROR, [0], [4]) = 0')!.soError, '0');
  assert.is(parseStraceLine('1 getsockopt(5, SOL_SOCKET, SO_ERROR, [111 /* ECONNREFUSED */], [4]) = 0')!.soError, 'ECONNREFUSED');
});

line('should accept [pid N] prefixes, no pid at all and -tt clock times', () => {
  const a = parseStraceLine('[pid  4242] 12:00:01.500000 unlink("/x") = 0')!;
  assert.is(a.pid, 4242);
  assert.is(a.time, 43201.5);
  const b = parseStraceLine('unlink("/x") = -1 EROFS (Read-only file system)')!;
  assert.is(b.pid, 0);
  assert.is(b.errno, 'EROFS');
  const c = parseStraceLine('1796076191.5 mkdir("d", 0777) = 0')!;
  assert.is(c.pid, 0);
  assert.is(c.time, 1796076191.5);
});

line('should parse exits, kills and signals', () => {
  assert.equal(parseStraceLine('15773 1.0 +++ exited with 0 +++'), { pid: 15773, time: 1, name: '+++exited', args: [], ret: null, exitCode: 0 });
  assert.is(parseStraceLine('10778 1796076118.670920 +++ killed by SIGKILL +++')!.signal, 'SIGKILL');
  const s = parseStraceLine('10759 1.0 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=10, si_uid=0, si_status=0, si_utime=2 /* 0.02 s */, si_stime=1 /* 0.01 s */} ---')!;
  assert.is(s.name, '---signal');
  assert.is(s.signal, 'SIGCHLD');
});

line('should parse ? and hex returns and ignore what is not a syscall', () => {
  assert.is(parseStraceLine('1 exit_group(0) = ?')!.ret, null);
  assert.is(parseStraceLine('1 brk(NULL) = 0x55d1c000')!.ret, 0x55d1c000);
  assert.is(parseStraceLine('strace: Process 12 attached'), undefined);
});

line.run();

// ---
const stream = suite('createStraceParser');

stream('should join an <unfinished ...> call with its resume in the same pid (recorded: detached)', () => {
  const calls = parseFixture('detached');
  const ssl = calls.filter((c) => c.pid === 15530 && c.path === '/etc/ssl/openssl.cnf');
  assert.is(ssl.length, 1);
  assert.is(ssl[0].ret, 3);
  assert.is(ssl[0].retPath, '/etc/ssl/openssl.cnf');
  assert.is(ssl[0].flags, 'O_RDONLY');
  assert.is(ssl[0].time, 1796076191.698228);
  assert.not.ok(ssl[0].unfinished);
});

stream('should join interleaved pairs of several pids (recorded: full trace, vfork + execve)', () => {
  const calls = parseFixture('secrets-full', 1);
  const exec = calls.find((c) => c.name === 'execve' && c.pid === 15465)!;
  assert.is(exec.path, '/usr/bin/node');
  assert.equal(exec.execArgv, ['node', 'secrets.js']);
  assert.is(exec.ret, 0);
  const vfork = calls.find((c) => c.name === 'vfork' && c.pid === 15461)!;
  assert.is(vfork.ret, 3);
});

stream('should give every recorded line exactly once, whatever the chunk size', () => {
  const whole = parseFixture('secrets-full', 1 << 20);
  for (const size of [1, 3, 64, 4096]) assert.equal(parseFixture('secrets-full', size), whole, `chunk size ${size}`);
  const kills = parseFixture('detached').filter((c) => c.name === '+++killed');
  assert.ok(kills.length >= 2, 'the daemon and bwrap are killed at the end');
});

stream('should flush a call whose process died before it returned as unfinished', () => {
  const p = createStraceParser();
  assert.equal(p.push('9 1.0 wait4(-1,  <unfinished ...>\n9 2.0 +++ killed by SIGKILL +++\n').map((c) => [c.name, c.unfinished ?? false, c.ret]),
    [['wait4', true, null], ['+++killed', false, null]]);
  assert.equal(p.push('8 connect(3, {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("127.0.0.1")}, 16 <unfinished ...>'), []);
  const end = p.end();
  assert.is(end.length, 1);
  assert.ok(end[0].unfinished);
  assert.equal(end[0].sockaddr, { family: 'AF_INET', port: 9, host: '127.0.0.1' });
});

stream('should keep a resume whose first half was never seen', () => {
  const p = createStraceParser();
  const [c] = p.push('7 <... openat resumed>) = 3</etc/hosts>\n');
  assert.is(c.name, 'openat');
  assert.is(c.ret, 3);
  assert.is(c.retPath, '/etc/hosts');
});

stream.run();
