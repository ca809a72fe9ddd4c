// Build the strace arguments that go in front of `-- bwrap ...` for one lifecycle script (pure).

/** `narrow`: writes, renames, unlinks, mkdir, exec, connect and every open (to catch writes and secret reads).
 *  `full`: additionally every path lookup (%file: stat, access, readlink...), all socket calls and process calls. */
export type TraceMode = 'narrow' | 'full';

export interface StraceArgvOptions {
  /** @default 'narrow' */
  mode?: TraceMode;
  /** File strace writes its trace to (`-o`); the caller parses it with createStraceParser. */
  outputFile: string;
  /** Longest string strace prints (execve argv elements, socket paths). @default 1024 */
  stringLimit?: number;
}

// Opens are in the narrow set because strace cannot filter by flags: without them a plain
// `fs.writeFileSync` (openat O_CREAT) and a read of a hidden ~/.npmrc would go unseen.
// A leading `?` lets strace skip a name the architecture lacks (open, creat, rename... on arm64).
const NARROW_SYSCALLS = [
  '?open', 'openat', '?openat2', '?creat', '?truncate',
  '?rename', 'renameat', '?renameat2', '?link', 'linkat', '?symlink', 'symlinkat',
  '?unlink', 'unlinkat', '?rmdir', '?mkdir', 'mkdirat', '?mknod', 'mknodat',
  '?chmod', 'fchmodat', '?chown', '?lchown', 'fchownat',
  'execve', 'execveat',
  // rename, unlink and mkdir (libuv's choice) carry no dirfd: chdir keeps relative paths resolvable
  'chdir', 'fchdir',
  // getsockopt(SO_ERROR) tells how a non-blocking connect (EINPROGRESS, as node does it) ended.
  'connect', 'getsockopt',
];

const FULL_SYSCALLS = ['%file', '%network', '%process', '?openat2', 'getsockopt'];

// List the syscalls traced in a mode, for docs and tests.
export function tracedSyscalls(mode: TraceMode): string[] {
  return mode === 'full' ? [...FULL_SYSCALLS] : [...NARROW_SYSCALLS];
}

// Return strace's arguments, without the strace executable and without the `--` before the command.
export function straceArgv({ mode = 'narrow', outputFile, stringLimit = 1024 }: StraceArgvOptions): string[] {
  return [
    // follow forks, daemons and double forks too; seccomp-bpf stops only on the traced syscalls
    // No --pidns-translation: measured +117 ms per `node -e 0` here (it reads /proc for every traced call).
    '-f', '--seccomp-bpf',
    // no attach/detach notes; exits and signals stay (a killed daemon shows as `+++ killed by SIGKILL +++`)
    '-q',
    // epoch timestamps in microseconds, for event times relative to the script start
    '-ttt',
    // -y decorates fds with their paths: AT_FDCWD</cwd>, 3</dir>, and `= 3</real/path>` for opens,
    // which resolves relative paths and symlink tricks without tracking chdir and fork
    '-y',
    '-s', String(stringLimit),
    '-e', `trace=${tracedSyscalls(mode).join(',')}`,
    '-o', outputFile,
  ];
}
