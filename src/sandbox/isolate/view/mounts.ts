// The isolate's view of the file system is the process tier's: the mount table is read back from
// the very bwrap argv that `bwrapArgv` builds for the script, so both tiers show the same files.
// Pure: existence checks arrive as a function.

/** One mount, in the order bwrap applies them. Later mounts cover earlier ones at or above them. */
export interface Mount {
  at: string;
  kind: 'bind' | 'ro-bind' | 'tmpfs' | 'dev' | 'proc';
  /** Host path behind a bind. */
  source?: string;
}

/** Where a sandbox path lives on the host, and what the sandbox lets a script do there. */
export interface Place {
  /** The sandbox path. */
  path: string;
  /** The host path that holds it, or null when the sandbox shows nothing there. */
  host: string | null;
  writable: boolean;
  mount: Mount;
  /** True when the sandbox hides a host path that exists at the same place (HOME, a project .npmrc). */
  hides: boolean;
}

// No `tty`: the controller's terminal is the user's; inside bwrap (--new-session) it is not reachable either.
const DEVICES = new Set(['null', 'zero', 'full', 'random', 'urandom']);
const PROC_FILES = new Set(['cpuinfo', 'meminfo', 'version', 'loadavg', 'uptime', 'stat']);
const WITH_TWO = new Set(['--bind', '--bind-try', '--ro-bind', '--ro-bind-try', '--dev-bind', '--dev-bind-try', '--symlink', '--setenv']);
const WITH_ONE = new Set(['--tmpfs', '--dev', '--proc', '--chdir', '--dir', '--remount-ro', '--unsetenv', '--hostname', '--uid', '--gid', '--seccomp', '--file', '--bind-data', '--ro-bind-data', '--perms', '--size']);
const NO_ARG = new Set(['--unshare-all', '--unshare-net', '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup', '--unshare-cgroup-try', '--unshare-user', '--unshare-user-try', '--share-net', '--die-with-parent', '--new-session', '--as-pid-1', '--clearenv']);

// Read the mounts out of a bwrap argv; `exists` drops `-try` binds whose source is missing, as bwrap does.
export function mountsFromBwrapArgv(argv: readonly string[], exists: (path: string) => boolean): Mount[] {
  const mounts: Mount[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--') break;
    if (flag === '--bind' || flag === '--bind-try' || flag === '--ro-bind' || flag === '--ro-bind-try') {
      const [source, at] = [argv[i + 1], argv[i + 2]];
      i += 2;
      if (flag.endsWith('-try') && !exists(source)) continue;
      mounts.push({ at: clean(at), kind: flag.startsWith('--ro') ? 'ro-bind' : 'bind', source: clean(source) });
    } else if (flag === '--tmpfs' || flag === '--dev' || flag === '--proc') {
      mounts.push({ at: clean(argv[++i]), kind: flag.slice(2) as Mount['kind'] });
    } else if (WITH_TWO.has(flag)) i += 2;
    else if (WITH_ONE.has(flag)) i += 1;
    else if (!NO_ARG.has(flag)) throw new Error(`mountsFromBwrapArgv: unknown bwrap flag ${flag}`);
  }
  return mounts;
}

// Read the variables bwrap sets in the sandbox (`--setenv`): the isolate's environment gets the same.
export function envFromBwrapArgv(argv: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (let i = 0; i < argv.length && argv[i] !== '--'; i++) {
    if (argv[i] === '--setenv') {
      env[argv[i + 1]] = argv[i + 2];
      i += 2;
    } else if (WITH_TWO.has(argv[i])) i += 2;
    else if (WITH_ONE.has(argv[i])) i += 1;
  }
  return env;
}

// Find where `path` (absolute, normalized) lives: the last mount applied at or above it decides.
export function locate(mounts: readonly Mount[], path: string, scratch: string, exists: (path: string) => boolean): Place {
  let mount: Mount | undefined;
  for (const m of mounts) if (within(path, m.at)) mount = m;
  if (!mount) return { path, host: null, writable: false, mount: { at: '/', kind: 'tmpfs' }, hides: false };
  const rest = path === mount.at ? '' : path.slice(mount.at === '/' ? 0 : mount.at.length);
  switch (mount.kind) {
    case 'bind':
    case 'ro-bind': {
      const host = join(mount.source!, rest);
      // A file covered by /dev/null (a project .npmrc) reads as empty and hides what is there.
      const hides = mount.source === '/dev/null' && mount.at !== '/dev/null';
      return { path, host, writable: mount.kind === 'bind', mount, hides };
    }
    case 'tmpfs': {
      const host = join(`${scratch}/tmpfs${mount.at === '/' ? '' : mount.at}`, rest);
      return { path, host, writable: true, mount, hides: exists(path) };
    }
    case 'dev': {
      const name = rest.replace(/^\//, '');
      return { path, host: rest === '' ? '/dev' : DEVICES.has(name) ? `/dev/${name}` : null, writable: name === 'null' || name === 'zero' || name === 'full', mount, hides: false };
    }
    case 'proc': {
      const name = rest.replace(/^\//, '');
      return { path, host: rest === '' ? null : PROC_FILES.has(name) ? `/proc/${name}` : null, writable: false, mount, hides: rest !== '' && !PROC_FILES.has(name) };
    }
  }
}

// Mount points strictly below `path` (they make `path` busy for rename and rmdir, as in the sandbox).
export function mountsBelow(mounts: readonly Mount[], path: string): Mount[] {
  return mounts.filter((m) => m.at !== path && within(m.at, path));
}

// Names of mount points directly inside `dir` (bwrap creates them, so a listing shows them).
export function mountNamesIn(mounts: readonly Mount[], dir: string): string[] {
  const names = new Set<string>();
  for (const m of mounts) {
    if (m.at === dir || !within(m.at, dir)) continue;
    const rest = m.at.slice(dir === '/' ? 1 : dir.length + 1);
    names.add(rest.split('/')[0]);
  }
  return [...names];
}

export function within(path: string, dir: string): boolean {
  return dir === '/' || path === dir || path.startsWith(`${dir}/`);
}

function join(base: string, rest: string): string {
  return rest ? `${base.replace(/\/$/, '')}${rest}` : base;
}

function clean(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}
