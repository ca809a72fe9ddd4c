// The records the strace room passes around: one parsed syscall line, and what the mapper needs to know.

/** The socket address of a connect(2), as strace decoded it. */
export interface SockAddr {
  /** `AF_INET`, `AF_INET6`, `AF_UNIX`, ... */
  family: string;
  /** IP address for AF_INET/AF_INET6. */
  host?: string;
  port?: number;
  /** Socket path for AF_UNIX; abstract sockets start with `@`. */
  path?: string;
}

/** One strace output line (or an unfinished/resumed pair joined back together). */
export interface Syscall {
  pid: number;
  /** Seconds from the `-ttt` (epoch) or `-tt` (since midnight) timestamp, when present. */
  time?: number;
  /** Syscall name; `+++exited`, `+++killed` and `---signal` for strace's process notes. */
  name: string;
  /** Raw argument texts, top-level commas split. */
  args: string[];
  /** Decoded first path argument as the program wrote it (may be relative). */
  path?: string;
  /** Directory `path` is relative to: the `-y` decoration of its dirfd, or of AT_FDCWD (the cwd). */
  dir?: string;
  /** Decoded second path argument (rename/link/symlink destination). */
  path2?: string;
  dir2?: string;
  /** Open flags (`O_WRONLY|O_CREAT|O_TRUNC`), or the flags word of *at calls. */
  flags?: string;
  /** Return value; null for `?` (no return seen). */
  ret: number | null;
  /** For a pid returned inside the sandbox's pid namespace (clone, fork): the same pid as strace names it. */
  retHostPid?: number;
  /** With `-y`: the path of the returned fd (what the kernel really opened, symlinks resolved). */
  retPath?: string;
  errno?: string;
  /** Decoded execve argv. */
  execArgv?: string[];
  /** True when strace cut the argv or one of its strings (`...`). */
  execArgvTruncated?: boolean;
  sockaddr?: SockAddr;
  /** First fd argument (connect, getsockopt). */
  fd?: number;
  /** Identity of that socket: `socket:[inode]` from `-y` (unique across processes), else the fd number. */
  socket?: string;
  /** The process's cwd, when the call had an `AT_FDCWD</cwd>` argument (`-y`). */
  cwd?: string;
  /** A relative `path` / `path2` is relative to the cwd, which the line does not show (no dirfd, or AT_FDCWD without `-y`). */
  cwdRelative?: boolean;
  cwdRelative2?: boolean;
  /** getsockopt(SO_ERROR) result: `0` or an errno name such as `ECONNREFUSED`. */
  soError?: string;
  /** Exit code for `+++exited`. */
  exitCode?: number;
  /** Signal name for `+++killed` and `---signal`. */
  signal?: string;
  /** The line said `<unfinished ...>` and no resume was seen (process killed mid-call, or input ended). */
  unfinished?: boolean;
}

/** What the mapper needs to attribute and judge syscalls of one lifecycle script. */
export interface TraceContext {
  /** `name@version` from the lockfile. */
  package: string;
  /** Package path relative to the project root, e.g. `node_modules/foo`. */
  path: string;
  /** Lifecycle event name. */
  script: string;
  /** Absolute package dir, bound read-write in the sandbox. */
  pkgDir: string;
  /** The user's HOME; inside the sandbox it is a throwaway tmpfs. */
  home: string;
  /** Absolute project root. */
  projectDir: string;
  /** Drop everything before the first successful execve of this path (the script shell, e.g. `/bin/sh`):
   *  what comes before is bwrap setting up the sandbox. @default undefined: keep everything */
  startExec?: string;
  /** Port of the in-sandbox proxy forwarder on 127.0.0.1; connects to it are dropped (the proxy reports network). */
  proxyPort?: number;
  /** Whether a path holds secrets, so that a plain open becomes an fs.read event. @default isSensitivePath */
  sensitive?: (path: string) => boolean;
  /** Extra absolute paths bound read-write (grant.write); a write that succeeds there is real, not contained. */
  writable?: string[];
  /** Extra absolute paths bound read-only (grant.read): a file missing there is missing, not hidden. */
  readable?: string[];
  /** Report every open as fs.read, not only sensitive ones (audit mode with full tracing). @default false */
  allReads?: boolean;
}
