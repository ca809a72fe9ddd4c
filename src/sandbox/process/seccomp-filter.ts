// A seccomp filter for every sandbox, in the classic BPF form bubblewrap's `--seccomp FD` loads:
// defense in depth on top of the namespaces. It refuses the system calls an install script has no
// use for and that would let it around the sandbox's other layers:
// - io_uring (setup, enter, register): file and network operations submitted through a ring are
//   invisible to strace, so the trace would miss them; ENOSYS, so that libuv and others fall back;
// - the kernel keyrings (add_key, request_key, keyctl): keys are per user, not per mount namespace,
//   so a script could read secrets other programs of the same user keep there;
// - bpf, perf_event_open, userfaultfd: kernel attack surface (the last is a classic race helper).
// Any other architecture or ABI than the one the filter was built for (32-bit calls on x86_64, x32)
// is refused outright. Pure.

const AUDIT_ARCH: Record<string, number> = { x64: 0xc000003e, arm64: 0xc00000b7 };

// Numbers per architecture (x86_64 from arch/x86/entry/syscalls/syscall_64.tbl, arm64 from asm-generic).
const SYSCALLS: Record<string, Record<string, number>> = {
  x64: { io_uring_setup: 425, io_uring_enter: 426, io_uring_register: 427, add_key: 248, request_key: 249, keyctl: 250, bpf: 321, perf_event_open: 298, userfaultfd: 323 },
  arm64: { io_uring_setup: 425, io_uring_enter: 426, io_uring_register: 427, add_key: 217, request_key: 218, keyctl: 219, bpf: 280, perf_event_open: 241, userfaultfd: 282 },
};

const ENOSYS = 38;
const EPERM = 1;
/** What each refused call returns. */
export const REFUSED_SYSCALLS: Record<string, number> = {
  io_uring_setup: ENOSYS, io_uring_enter: ENOSYS, io_uring_register: ENOSYS,
  add_key: EPERM, request_key: EPERM, keyctl: EPERM, bpf: EPERM, perf_event_open: EPERM, userfaultfd: EPERM,
};

// BPF opcodes and seccomp return values (linux/filter.h, linux/seccomp.h).
const LD_W_ABS = 0x20;
const JEQ_K = 0x15;
const JGE_K = 0x35;
const RET_K = 0x06;
const RET_ALLOW = 0x7fff0000;
const RET_ERRNO = 0x00050000;
const X32_SYSCALL_BIT = 0x40000000;
// Offsets in struct seccomp_data.
const NR = 0;
const ARCH = 4;

/** The filter for `arch` (process.arch), or undefined where safe-install has no syscall table. */
export function seccompFilter(arch: string = process.arch): Buffer | undefined {
  const numbers = SYSCALLS[arch];
  const auditArch = AUDIT_ARCH[arch];
  if (!numbers || auditArch === undefined) return undefined;
  const refused = Object.entries(REFUSED_SYSCALLS).map(([name, errno]) => [numbers[name], errno] as const);
  const program: [number, number, number, number][] = [];
  // Another ABI than this architecture's: refuse every call (no 32-bit or foreign binary gets past the table).
  program.push([LD_W_ABS, 0, 0, ARCH]);
  program.push([JEQ_K, 1, 0, auditArch]);
  program.push([RET_K, 0, 0, RET_ERRNO | ENOSYS]);
  program.push([LD_W_ABS, 0, 0, NR]);
  if (arch === 'x64') {
    // x32 calls carry bit 30 and reach the same handlers under other numbers.
    program.push([JGE_K, 0, 1, X32_SYSCALL_BIT]);
    program.push([RET_K, 0, 0, RET_ERRNO | ENOSYS]);
  }
  for (const [nr, errno] of refused) {
    program.push([JEQ_K, 0, 1, nr]);
    program.push([RET_K, 0, 0, RET_ERRNO | errno]);
  }
  program.push([RET_K, 0, 0, RET_ALLOW]);
  // struct sock_filter { __u16 code; __u8 jt; __u8 jf; __u32 k; }, in the machine's byte order (both are little-endian).
  const out = Buffer.alloc(program.length * 8);
  program.forEach(([code, jt, jf, k], i) => {
    out.writeUInt16LE(code, i * 8);
    out.writeUInt8(jt, i * 8 + 2);
    out.writeUInt8(jf, i * 8 + 3);
    out.writeUInt32LE(k >>> 0, i * 8 + 4);
  });
  return out;
}

/** The descriptor the filter travels on (3 is taken by the isolate worker's IPC channel). */
const FILTER_FD = '9';

/**
 * Wrap a bwrap command so that bwrap loads the filter (`--seccomp 9`): a shell opens the file on that
 * descriptor and executes the command in its place (same process, so killing it kills the sandbox;
 * a file it cannot open stops it before anything runs). `command` is the full argv whose element
 * `bwrapAt` is the bwrap binary.
 */
export function withSeccomp(command: string[], bwrapAt: number, filterFile: string | undefined): string[] {
  if (!filterFile) return command;
  const withFlag = [...command.slice(0, bwrapAt + 1), '--seccomp', FILTER_FD, ...command.slice(bwrapAt + 1)];
  return ['/bin/sh', '-c', `exec ${FILTER_FD}<"$0" && exec "$@"`, filterFile, ...withFlag];
}
