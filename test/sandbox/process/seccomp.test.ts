// The seccomp filter: its program refuses what it lists, on this architecture only, and travels to bwrap on a descriptor.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { seccompFilter, withSeccomp, REFUSED_SYSCALLS } from '../../../src/sandbox/process/seccomp-filter.js';

const filter = suite('seccomp filter');

// Run the BPF program over one system call, as the kernel would (the few opcodes it uses).
function evaluate(program: Buffer, arch: number, nr: number): number {
  const data = [nr, arch];
  let acc = 0;
  for (let pc = 0; pc * 8 < program.length;) {
    const code = program.readUInt16LE(pc * 8), jt = program.readUInt8(pc * 8 + 2), jf = program.readUInt8(pc * 8 + 3), k = program.readUInt32LE(pc * 8 + 4);
    if (code === 0x20) { acc = data[k / 4]; pc++; }
    else if (code === 0x15) pc += 1 + (acc === k ? jt : jf);
    else if (code === 0x35) pc += 1 + (acc >= k ? jt : jf);
    else if (code === 0x06) return k;
    else throw new Error(`unexpected opcode ${code}`);
  }
  throw new Error('fell off the program');
}
const X64 = 0xc000003e;
const ALLOW = 0x7fff0000;

filter('should refuse io_uring with ENOSYS and the keyrings with EPERM on x86_64, and allow the rest', () => {
  const program = seccompFilter('x64')!;
  assert.is(evaluate(program, X64, 425), 0x00050000 | 38, 'io_uring_setup');
  assert.is(evaluate(program, X64, 250), 0x00050000 | 1, 'keyctl');
  assert.is(evaluate(program, X64, 321), 0x00050000 | 1, 'bpf');
  for (const nr of [0, 1, 2, 39, 57, 59, 257, 435]) assert.is(evaluate(program, X64, nr), ALLOW, `syscall ${nr}`);
  assert.is(Object.keys(REFUSED_SYSCALLS).length, 9);
});

filter('should refuse every call of another ABI (32-bit on x86_64, x32)', () => {
  const program = seccompFilter('x64')!;
  assert.is(evaluate(program, 0x40000003, 20), 0x00050000 | 38, 'i386 getpid');
  assert.is(evaluate(program, X64, 0x40000000 + 39), 0x00050000 | 38, 'x32 getpid');
});

filter('should build arm64 too, and nothing for an architecture without a table', () => {
  const program = seccompFilter('arm64')!;
  assert.is(evaluate(program, 0xc00000b7, 219), 0x00050000 | 1, 'arm64 keyctl');
  assert.is(evaluate(program, 0xc00000b7, 172), ALLOW, 'arm64 getpid');
  assert.is(seccompFilter('s390x'), undefined);
});

filter('should open the filter on descriptor 9 and pass --seccomp 9 right after bwrap', () => {
  assert.equal(withSeccomp(['/usr/bin/strace', '-f', '/usr/bin/bwrap', '--ro-bind', '/', '/'], 2, '/w/seccomp.bpf'),
    ['/bin/sh', '-c', 'exec 9<"$0" && exec "$@"', '/w/seccomp.bpf', '/usr/bin/strace', '-f', '/usr/bin/bwrap', '--seccomp', '9', '--ro-bind', '/', '/']);
  assert.equal(withSeccomp(['/usr/bin/bwrap', 'x'], 0, undefined), ['/usr/bin/bwrap', 'x']);
});

filter.run();
