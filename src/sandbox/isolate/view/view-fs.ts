// File operations of an isolate script, applied on the host through its sandbox view: every path is
// resolved component by component inside the view (symlinks included), and a write lands only where
// the process tier's mounts would let it. Errors are Node's (EROFS, ENOENT, EXDEV, EBUSY).
// The host side is immune to a concurrent swap (the script's own child, running in the process tier,
// may turn a directory into a symlink between the view's check and the operation): each operation
// reaches its file through the parent directory pinned by a walk from the mount's root that follows
// no symlink (`/proc/self/fd/<dir>/<name>`), and opens, changes or lists the last component without
// following it either. The mount roots themselves are pinned once, as bwrap pins its binds.
import * as fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { constants as osConstants } from 'node:os';
import { locate, mountNamesIn, mountsBelow, within, type Mount, type Place } from './mounts.js';

/** What one operation did, for the event log. */
export interface FsNote {
  kind: 'fs.read' | 'fs.write' | 'fs.delete';
  target: string;
  allowed: boolean;
  asked?: boolean;
  detail: string;
  /** A write that landed in a hidden directory's private tmpfs (HOME): done, but discarded with the script. */
  contained?: boolean;
}

/** tmpfs mounts that are the script's own scratch space, not a hidden host directory. */
const SCRATCH = new Set(['/tmp', '/var/tmp', '/run']);

export interface ViewFsOptions {
  mounts: Mount[];
  /** Private host directory holding the script's tmpfs contents (/tmp, the hidden HOME). */
  scratch: string;
  /** Report an access worth recording. */
  note(note: FsNote): void;
  /** Ask the user about a write the sandbox refuses; absent: refuse. */
  askWrite?(path: string): Promise<boolean>;
}

export interface ViewFs {
  call(op: string, args: unknown[]): Promise<unknown>;
  /** Resolve a sandbox path (symlinks followed) to where it lives. */
  place(path: string): Place;
  exists(path: string): boolean;
  readText(path: string): string;
  isFile(path: string): boolean;
  isDir(path: string): boolean;
  close(): void;
}

const O_NOFOLLOW = fs.constants.O_NOFOLLOW;
const O_DIRECTORY = fs.constants.O_DIRECTORY;
/** open(2)'s O_PATH on Linux (x86_64, arm64): a handle on a directory that needs no read permission. */
const O_PATH = 0o10000000;
const MAX_READ = 64 * 1024 * 1024;
/** Larger than an isolate's heap: a whole-file read of more is refused, as Node refuses files over 2 GiB. */
const MAX_FILE = 256 * 1024 * 1024;

// Create the file operations of one script.
export function createViewFs(options: ViewFsOptions): ViewFs {
  const { mounts, scratch } = options;
  // `writable`: opened through the write check. A descriptor opened for reading must not chmod or
  // touch the host file behind a read-only mount (the kernel would allow it: the fd is the host's).
  const fds = new Map<number, { fd: number; path: string; writable: boolean }>();
  let nextFd = 20;
  const hostExists = (p: string) => fs.existsSync(p);

  function err(code: string, syscall: string, path: string, dest?: string): NodeJS.ErrnoException {
    const messages: Record<string, string> = { ENXIO: 'no such device or address', ENOENT: 'no such file or directory', EROFS: 'read-only file system', EEXIST: 'file already exists', EXDEV: 'cross-device link not permitted', EBUSY: 'resource busy or locked', ELOOP: 'too many symbolic links encountered', EISDIR: 'illegal operation on a directory', ENOTDIR: 'not a directory', EBADF: 'bad file descriptor', EACCES: 'permission denied', ENOTEMPTY: 'directory not empty' };
    const e = new Error(`${code}: ${messages[code] ?? code}, ${syscall} '${path}'${dest ? ` -> '${dest}'` : ''}`) as NodeJS.ErrnoException;
    Object.assign(e, { code, errno: -((osConstants.errno as Record<string, number>)[code] ?? 1), syscall, path, ...(dest ? { dest } : {}) });
    return e;
  }

  const made = new Set<Mount>();
  function ensureTmpfs(place: Place): void {
    if (place.mount.kind !== 'tmpfs' || made.has(place.mount)) return;
    fs.mkdirSync(`${scratch}/tmpfs${place.mount.at === '/' ? '' : place.mount.at}`, { recursive: true, mode: 0o700 });
    made.add(place.mount);
  }
  const never = () => false;
  // `hides` needs a host lookup: only the final component of a path gets it.
  const at = (path: string, final = true) => {
    const place = locate(mounts, path, scratch, final ? hostExists : never);
    ensureTmpfs(place);
    return place;
  };
  // --- pinned host paths ---------------------------------------------------------------------
  // The host root of a mount, opened once (following symlinks, as bwrap does when it binds);
  // undefined for /dev and /proc entries, whose host paths are fixed.
  const roots = new Map<Mount, { fd: number; host: string; dir: boolean } | 'fixed' | 'missing'>();
  function rootOf(mount: Mount): { fd: number; host: string; dir: boolean } | 'fixed' | 'missing' {
    let root = roots.get(mount);
    if (root === undefined) {
      const host = mount.kind === 'tmpfs' ? `${scratch}/tmpfs${mount.at === '/' ? '' : mount.at}` : mount.kind === 'bind' || mount.kind === 'ro-bind' ? mount.source! : undefined;
      if (host === undefined) root = 'fixed';
      else {
        try {
          const fd = fs.openSync(host, O_PATH);
          root = { fd, host, dir: fs.fstatSync(fd).isDirectory() };
        } catch {
          root = 'missing';
        }
      }
      roots.set(mount, root);
    }
    return root;
  }
  // A host path for `place` that no concurrent symlink swap can redirect: its parent directory pinned
  // by a no-follow walk. The last component is the caller's to open without following.
  function pinned<T>(place: Place, syscall: string, fn: (path: string) => T): T {
    if (!place.host) throw err('ENOENT', syscall, place.path);
    const root = rootOf(place.mount);
    if (root === 'fixed') return fn(place.host);
    if (root === 'missing') throw err('ENOENT', syscall, place.path);
    const rest = place.host.slice(root.host.length).split('/').filter(Boolean);
    if (!place.host.startsWith(root.host) || rest.some((c) => c === '..')) throw err('ENOENT', syscall, place.path);
    // The mount root: a directory through its pinned descriptor (`/.` keeps the magic link out of the
    // last component); a file bind (a single granted file, /dev/null over a hidden one) by its host path,
    // whose parent no script can write.
    if (rest.length === 0) return fn(root.dir ? `/proc/self/fd/${root.fd}/.` : root.host);
    const opened: number[] = [];
    try {
      let dir = root.fd;
      for (const part of rest.slice(0, -1)) {
        try {
          dir = fs.openSync(`/proc/self/fd/${dir}/${part}`, O_PATH | O_DIRECTORY | O_NOFOLLOW);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          // A symlink or a file where the view saw a directory: it changed under us.
          throw err(code === 'ELOOP' || code === 'ENOTDIR' ? 'ENOENT' : code ?? 'ENOENT', syscall, place.path);
        }
        opened.push(dir);
      }
      return fn(`/proc/self/fd/${dir}/${rest[rest.length - 1]}`);
    } finally {
      for (const fd of opened) fs.closeSync(fd);
    }
  }
  // Open the last component of `place` without following it (ELOOP on a symlink), then hand the descriptor on.
  function withFd<T>(place: Place, syscall: string, flags: number, fn: (fd: number) => T, mode?: number): T {
    return pinned(place, syscall, (path) => {
      let fd: number;
      try {
        fd = fs.openSync(path, flags | O_NOFOLLOW, mode);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
        throw err(code, syscall, place.path);
      }
      try {
        return fn(fd);
      } finally {
        fs.closeSync(fd);
      }
    });
  }
  // lstat through the pinned parent: what is there now, never followed; null when nothing is.
  function lstatHost(place: Place): fs.Stats | null {
    if (!place.host) return null;
    try {
      return pinned(place, 'lstat', (path) => fs.lstatSync(path));
    } catch {
      return null;
    }
  }
  // A directory that exists only because mounts sit below it (bwrap made it).
  const synthetic = (place: Place) => !(place.host && hostExists(place.host)) && mountNamesIn(mounts, place.path).length > 0;

  // Resolve `path` inside the view; symlinks are read on the host and followed as sandbox paths.
  function resolve(path: string, followLast: boolean, syscall: string): Place {
    let parts = split(path);
    let cur = '/';
    let hops = 0;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      if (part === '.') continue;
      if (part === '..') {
        cur = cur.replace(/\/[^/]*$/, '') || '/';
        continue;
      }
      const next = cur === '/' ? `/${part}` : `${cur}/${part}`;
      if (i === parts.length - 1 && !followLast) return at(next);
      const place = at(next, false);
      let link: string | undefined;
      if (place.host) {
        try {
          if (fs.lstatSync(place.host).isSymbolicLink()) link = fs.readlinkSync(place.host);
        } catch {
          // missing: resolved as is, the operation reports ENOENT
        }
      }
      if (link !== undefined) {
        if (++hops > 40) throw err('ELOOP', syscall, path);
        parts = [...split(link.startsWith('/') ? link : `${cur}/${link}`), ...parts.slice(i + 1)];
        cur = '/';
        i = -1;
        continue;
      }
      cur = next;
    }
    return at(cur);
  }

  const readNote = (place: Place, op: string) => {
    // Hidden: a host path the sandbox covers, unless the script made its own file there.
    const covered = place.mount.source === '/dev/null' || !(place.host && hostExists(place.host));
    if (place.hides && covered) options.note({ kind: 'fs.read', target: place.path, allowed: false, detail: `${op}: hidden by the sandbox` });
  };
  const writeNote = (place: Place, op: string, allowed: boolean, kind: FsNote['kind'] = 'fs.write', asked?: boolean) => {
    if (allowed && place.mount.kind === 'tmpfs' && !SCRATCH.has(place.mount.at)) {
      options.note({ kind, target: place.path, allowed, detail: op, contained: true });
      return;
    }
    if (allowed && (place.mount.kind === 'tmpfs' || place.mount.kind === 'dev')) return; // private scratch, /dev/null
    options.note({ kind, target: place.path, allowed, asked, detail: allowed ? op : `${op}: ${asked ? 'refused at the prompt' : 'read-only in the sandbox'}` });
  };
  // Check that a write may happen at `place`; a refused one may be asked about. Returns the host path.
  async function writable(place: Place, op: string, syscall: string, kind: FsNote['kind'] = 'fs.write'): Promise<string> {
    if (!place.host) {
      writeNote(place, op, false, kind);
      throw err('EACCES', syscall, place.path);
    }
    if (place.writable) {
      writeNote(place, op, true, kind);
      return place.host;
    }
    if (options.askWrite && place.mount.kind !== 'proc' && place.mount.kind !== 'dev') {
      const yes = await options.askWrite(place.path);
      options.note({ kind, target: place.path, allowed: yes, asked: true, detail: yes ? `${op}: allowed at the prompt` : `${op}: refused at the prompt` });
      if (yes) return place.host;
      throw err('EROFS', syscall, place.path);
    }
    writeNote(place, op, false, kind);
    throw err('EROFS', syscall, place.path);
  }
  const busy = (place: Place, syscall: string) => {
    if (mounts.some((m) => m.at === place.path) || mountsBelow(mounts, place.path).length) throw err('EBUSY', syscall, place.path);
  };
  const ensureParent = (place: Place) => {
    if (!place.host) return;
    const parentHost = place.host.replace(/\/[^/]*$/, '') || '/';
    const parent = at(place.path.replace(/\/[^/]*$/, '') || '/');
    if (!hostExists(parentHost) && (synthetic(parent) || parent.path === place.mount.at)) fs.mkdirSync(parentHost, { recursive: true });
  };
  const hostOf = (place: Place, syscall: string): string => {
    if (!place.host || !lstatHost(place)) {
      readNote(place, syscall);
      throw err('ENOENT', syscall, place.path);
    }
    readNote(place, syscall);
    return place.host;
  };
  // The view has followed every symlink it should already: what is at the place is stat'ed as it is.
  const statOf = (place: Place, syscall: string): Record<string, number> | null => {
    const st = lstatHost(place);
    if (st) return plainStat(st);
    if (synthetic(place)) return plainStat(fs.statSync('/'));
    readNote(place, syscall);
    return null;
  };

  // Names in a directory, listed through a descriptor opened without following the last component.
  const listNames = (place: Place, syscall: string): string[] =>
    withFd(place, syscall, fs.constants.O_RDONLY | O_DIRECTORY, (fd) => fs.readdirSync(`/proc/self/fd/${fd}`));

  async function removeTree(place: Place, op: string): Promise<void> {
    const st = lstatHost(place);
    if (!st) throw err('ENOENT', op, place.path);
    busy(place, 'rm');
    if (st.isDirectory()) {
      for (const name of listNames(place, 'scandir')) await removeTree(at(`${place.path === '/' ? '' : place.path}/${name}`), op);
      await writable(place, op, 'rmdir', 'fs.delete');
      pinned(place, 'rmdir', (path) => fs.rmdirSync(path));
    } else {
      await writable(place, op, 'unlink', 'fs.delete');
      pinned(place, 'unlink', (path) => fs.unlinkSync(path));
    }
  }

  // Copy one regular file between two places, both opened without following (the copy goes fd to fd).
  function copyPlace(src: Place, dst: Place, exclusive: boolean, syscall: string): void {
    withFd(src, syscall, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK, (from) => {
      const st = fs.fstatSync(from);
      if (st.isDirectory()) throw err('EISDIR', syscall, src.path);
      safeKind(st, src, syscall);
      const flags = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC | fs.constants.O_NONBLOCK | (exclusive ? fs.constants.O_EXCL : 0);
      withFd(dst, syscall, flags, (to) => {
        safeKind(fs.fstatSync(to), dst, syscall);
        fs.copyFileSync(`/proc/self/fd/${from}`, `/proc/self/fd/${to}`);
      }, st.mode & 0o777);
    });
  }

  async function copyTree(src: Place, dst: Place, force: boolean, errorOnExist: boolean): Promise<void> {
    const st = lstatHost(src);
    if (!st) hostOf(src, 'cp');
    if (st!.isDirectory()) {
      if (!statOf(dst, 'cp')) {
        await writable(dst, 'cp', 'mkdir');
        pinned(dst, 'mkdir', (path) => fs.mkdirSync(path));
      }
      for (const name of listNames(src, 'scandir')) await copyTree(at(`${src.path}/${name}`), at(`${dst.path}/${name}`), force, errorOnExist);
    } else if (st!.isSymbolicLink()) {
      const target = pinned(src, 'readlink', (path) => fs.readlinkSync(path));
      await writable(dst, 'cp', 'symlink');
      pinned(dst, 'symlink', (path) => fs.symlinkSync(target, path));
    } else {
      if (statOf(dst, 'cp') && !force) {
        if (errorOnExist) throw err('EEXIST', 'cp', dst.path);
        return;
      }
      await writable(dst, 'cp', 'copyfile');
      copyPlace(src, dst, false, 'cp');
    }
  }

  const ops: Record<string, (...a: any[]) => unknown> = {
    async readFile(path: string, flag: string) {
      const place = resolve(path, true, 'open');
      hostOf(place, 'open');
      if (/[wa+]/.test(flag)) await writable(place, 'readFile', 'open');
      return withFd(place, 'open', fs.constants.O_RDONLY | fs.constants.O_NONBLOCK, (fd) => {
        const st = fs.fstatSync(fd);
        if (st.isDirectory()) throw err('EISDIR', 'read', path);
        // The controller does the read: nothing endless (/dev/zero), blocking (a FIFO) or huge.
        if (place.host === '/dev/null') return new Uint8Array(0);
        safeKind(st, place, 'open');
        if (!st.isFile() || st.size > MAX_FILE) throw Object.assign(new RangeError(`File size is greater than ${MAX_FILE} bytes or not a regular file: ${path}`), { code: 'ERR_FS_FILE_TOO_LARGE' });
        return bytes(fs.readFileSync(fd));
      });
    },
    async writeFile(path: string, data: Uint8Array, flag: string, mode?: number) {
      const place = resolve(path, true, 'open');
      await writable(place, 'writeFile', 'open');
      ensureParent(place);
      withFd(place, 'open', openFlags(flag) | fs.constants.O_NONBLOCK, (fd) => {
        safeKind(fs.fstatSync(fd), place, 'open');
        fs.writeFileSync(fd, data);
      }, mode ?? 0o666);
    },
    stat: (path: string, noThrow: boolean) => {
      const place = resolve(path, true, 'stat');
      const st = statOf(place, 'stat');
      if (!st && !noThrow) throw err('ENOENT', 'stat', path);
      return st;
    },
    lstat: (path: string, noThrow: boolean) => {
      const place = resolve(path, false, 'lstat');
      const st = statOf(place, 'lstat');
      if (!st && !noThrow) throw err('ENOENT', 'lstat', path);
      return st;
    },
    exists: (path: string) => {
      try {
        return statOf(resolve(path, true, 'access'), 'access') !== null;
      } catch {
        return false;
      }
    },
    readdir: (path: string) => {
      const place = resolve(path, true, 'scandir');
      const names = new Map<string, string>();
      const st = lstatHost(place);
      if (st) {
        if (!st.isDirectory()) throw err('ENOTDIR', 'scandir', path);
        withFd(place, 'scandir', fs.constants.O_RDONLY | O_DIRECTORY, (fd) => {
          for (const d of fs.readdirSync(`/proc/self/fd/${fd}`, { withFileTypes: true })) names.set(d.name, direntType(d));
        });
      } else if (!synthetic(place)) {
        readNote(place, 'scandir');
        throw err('ENOENT', 'scandir', path);
      }
      for (const name of mountNamesIn(mounts, place.path)) if (!names.has(name)) names.set(name, 'dir');
      return [...names].map(([name, type]) => ({ name, type }));
    },
    async mkdir(path: string, recursive: boolean, mode?: number) {
      if (!recursive) {
        const place = resolve(path, false, 'mkdir');
        if (statOf(place, 'mkdir')) throw err('EEXIST', 'mkdir', path);
        await writable(place, 'mkdir', 'mkdir');
        ensureParent(place);
        pinned(place, 'mkdir', (host) => fs.mkdirSync(host, { mode: mode ?? 0o777 }));
        return undefined;
      }
      let first: string | undefined;
      let cur = '';
      for (const part of split(path)) {
        cur = `${cur}/${part}`;
        const place = resolve(cur, true, 'mkdir');
        const st = statOf(place, 'mkdir');
        if (st) {
          if ((st.mode & 0o170000) !== 0o040000) throw err('ENOTDIR', 'mkdir', path);
          continue;
        }
        await writable(place, 'mkdir', 'mkdir');
        ensureParent(place);
        pinned(place, 'mkdir', (host) => fs.mkdirSync(host, { mode: mode ?? 0o777 }));
        first ??= place.path;
      }
      return first;
    },
    async mkdtemp(prefix: string) {
      const path = `${prefix}${randomBytes(6).toString('base64url').slice(0, 6)}`;
      await ops.mkdir(path, false, 0o700);
      return path;
    },
    async rm(path: string, recursive: boolean, force: boolean) {
      const place = resolve(path, false, 'rm');
      const st = lstatHost(place);
      if (!st) {
        if (force) return;
        throw err('ENOENT', 'rm', path);
      }
      if (st.isDirectory() && !recursive) throw Object.assign(new Error(`Path is a directory: rm returned EISDIR (is a directory) ${path}`), { code: 'ERR_FS_EISDIR' });
      await removeTree(place, 'rm');
    },
    async rmdir(path: string, recursive: boolean) {
      const place = resolve(path, false, 'rmdir');
      hostOf(place, 'rmdir');
      if (recursive) return removeTree(place, 'rmdir');
      busy(place, 'rmdir');
      await writable(place, 'rmdir', 'rmdir', 'fs.delete');
      pinned(place, 'rmdir', (host) => fs.rmdirSync(host));
    },
    async unlink(path: string) {
      const place = resolve(path, false, 'unlink');
      hostOf(place, 'unlink');
      busy(place, 'unlink');
      await writable(place, 'unlink', 'unlink', 'fs.delete');
      pinned(place, 'unlink', (host) => fs.unlinkSync(host));
    },
    async rename(from: string, to: string) {
      const a = resolve(from, false, 'rename');
      const b = resolve(to, false, 'rename');
      hostOf(a, 'rename');
      busy(a, 'rename');
      busy(b, 'rename');
      // Different mounts are different file systems in the sandbox.
      if (a.mount !== b.mount) {
        // A move out of a place the script may not write is a refused delete there, as the process tier reports it.
        if (!a.writable) writeNote(a, 'rename (across mounts)', false, 'fs.delete');
        throw err('EXDEV', 'rename', from, to);
      }
      await writable(a, 'rename', 'rename', 'fs.delete');
      await writable(b, 'rename', 'rename');
      pinned(a, 'rename', (src) => pinned(b, 'rename', (dst) => fs.renameSync(src, dst)));
    },
    async copyFile(from: string, to: string, mode: number) {
      const a = resolve(from, true, 'copyfile');
      hostOf(a, 'copyfile');
      const b = resolve(to, true, 'copyfile');
      await writable(b, 'copyFile', 'copyfile');
      ensureParent(b);
      copyPlace(a, b, (mode & fs.constants.COPYFILE_EXCL) !== 0, 'copyfile');
    },
    async cp(from: string, to: string, recursive: boolean, force: boolean, errorOnExist: boolean) {
      const a = resolve(from, true, 'cp');
      hostOf(a, 'cp');
      if (lstatHost(a)?.isDirectory() && !recursive) throw Object.assign(new Error(`Recursive option is required to copy a directory: ${from}`), { code: 'ERR_FS_EISDIR' });
      await copyTree(a, resolve(to, true, 'cp'), force, errorOnExist);
    },
    async symlink(target: string, path: string) {
      const place = resolve(path, false, 'symlink');
      if (statOf(place, 'symlink')) throw err('EEXIST', 'symlink', target, path);
      await writable(place, 'symlink', 'symlink');
      pinned(place, 'symlink', (host) => fs.symlinkSync(target, host));
    },
    async link(from: string, to: string) {
      const a = resolve(from, false, 'link');
      const b = resolve(to, false, 'link');
      hostOf(a, 'link');
      if (a.mount !== b.mount) throw err('EXDEV', 'link', from, to);
      await writable(b, 'link', 'link');
      pinned(a, 'link', (src) => pinned(b, 'link', (dst) => fs.linkSync(src, dst)));
    },
    readlink: (path: string) => {
      const place = resolve(path, false, 'readlink');
      hostOf(place, 'readlink');
      return pinned(place, 'readlink', (host) => fs.readlinkSync(host));
    },
    realpath: (path: string) => {
      const place = resolve(path, true, 'realpath');
      if (!statOf(place, 'realpath')) throw err('ENOENT', 'realpath', path);
      return place.path;
    },
    async access(path: string, mode: number) {
      const place = resolve(path, true, 'access');
      if (!statOf(place, 'access')) throw err('ENOENT', 'access', path);
      if (mode & fs.constants.W_OK && !place.writable) throw err('EROFS', 'access', path);
      if (mode & fs.constants.X_OK && place.host) pinned(place, 'access', (host) => fs.accessSync(host, fs.constants.X_OK));
    },
    async chmod(path: string, mode: number) {
      const place = resolve(path, true, 'chmod');
      await writable(place, 'chmod', 'chmod');
      withFd(place, 'chmod', fs.constants.O_RDONLY | fs.constants.O_NONBLOCK, (fd) => fs.fchmodSync(fd, mode));
    },
    async lchmod(path: string, mode: number) {
      return ops.chmod(path, mode);
    },
    chown: () => undefined,
    lchown: () => undefined,
    async utimes(path: string, atime: number, mtime: number) {
      const place = resolve(path, true, 'utime');
      await writable(place, 'utimes', 'utime');
      withFd(place, 'utime', fs.constants.O_RDONLY | fs.constants.O_NONBLOCK, (fd) => fs.futimesSync(fd, atime, mtime));
    },
    async lutimes(path: string, atime: number, mtime: number) {
      const place = resolve(path, false, 'utime');
      await writable(place, 'utimes', 'utime');
      pinned(place, 'utime', (host) => fs.lutimesSync(host, atime, mtime));
    },
    async truncate(path: string, len: number) {
      const place = resolve(path, true, 'open');
      await writable(place, 'truncate', 'open');
      withFd(place, 'open', fs.constants.O_WRONLY | fs.constants.O_NONBLOCK, (fd) => {
        safeKind(fs.fstatSync(fd), place, 'open');
        fs.ftruncateSync(fd, len);
      });
    },
    async open(path: string, flags: string | number, mode: number) {
      const numeric = typeof flags === 'number' && Number.isInteger(flags) ? flags : openFlags(String(flags));
      const place = resolve(path, true, 'open');
      const writes = (numeric & 3) !== fs.constants.O_RDONLY || (numeric & (fs.constants.O_CREAT | fs.constants.O_TRUNC)) !== 0;
      if (writes) {
        await writable(place, 'open', 'open');
        ensureParent(place);
      } else hostOf(place, 'open');
      const fd = pinned(place, 'open', (host) => {
        try {
          return fs.openSync(host, numeric | O_NOFOLLOW | fs.constants.O_NONBLOCK, mode);
        } catch (e) {
          throw err((e as NodeJS.ErrnoException).code ?? 'EIO', 'open', path);
        }
      });
      try {
        safeKind(fs.fstatSync(fd), place, 'open');
      } catch (e) {
        fs.closeSync(fd);
        throw e;
      }
      const id = nextFd++;
      fds.set(id, { fd, path: place.path, writable: writes });
      return id;
    },
    close: (fd: number) => {
      fs.closeSync(real(fd, 'close'));
      fds.delete(fd);
    },
    read: (fd: number, length: number, position: number | null) => {
      const buffer = Buffer.alloc(Math.max(0, Math.min(Number(length) || 0, MAX_READ)));
      const n = fs.readSync(real(fd, 'read'), buffer, 0, buffer.length, position);
      return bytes(buffer.subarray(0, n));
    },
    write: (fd: number, data: Uint8Array, position: number | null) => fs.writeSync(real(fd, 'write', true), Buffer.from(data), 0, data.byteLength, position),
    fstat: (fd: number) => plainStat(fs.fstatSync(real(fd, 'fstat'))),
    ftruncate: (fd: number, len: number) => fs.ftruncateSync(real(fd, 'ftruncate', true), len),
    fsync: (fd: number) => fs.fsyncSync(real(fd, 'fsync')),
    fdatasync: (fd: number) => fs.fdatasyncSync(real(fd, 'fdatasync')),
    futimes: (fd: number, a: number, m: number) => fs.futimesSync(real(fd, 'futime', true), a, m),
    fchmod: (fd: number, mode: number) => fs.fchmodSync(real(fd, 'fchmod', true), mode),
  };
  // FIFOs, sockets and devices outside the sandbox's /dev would block or reach the controller's own.
  function safeKind(st: fs.Stats, place: Place, syscall: string): void {
    if (st.isFIFO() || st.isSocket() || st.isBlockDevice() || (st.isCharacterDevice() && place.mount.kind !== 'dev')) throw err('ENXIO', syscall, place.path);
  }

  function real(fd: number, syscall: string, write = false): number {
    const entry = fds.get(fd);
    if (!entry) throw err('EBADF', syscall, String(fd));
    if (write && !entry.writable) throw err(syscall === 'write' || syscall === 'ftruncate' ? 'EBADF' : 'EROFS', syscall, entry.path);
    return entry.fd;
  }

  return {
    async call(op, args) {
      const fn = Object.prototype.hasOwnProperty.call(ops, op) ? ops[op] : undefined;
      if (!fn) throw Object.assign(new Error(`fs.${op} is not available in safe-install's isolate tier`), { code: 'ERR_METHOD_NOT_IMPLEMENTED' });
      return fn(...args);
    },
    place: (path) => resolve(path, true, 'open'),
    exists: (path) => ops.exists(path) as boolean,
    isFile(path) {
      return lstatHost(resolve(path, true, 'stat'))?.isFile() ?? false;
    },
    isDir(path) {
      const place = resolve(path, true, 'stat');
      return lstatHost(place)?.isDirectory() || synthetic(place);
    },
    // A module's source: a regular file of bounded size, never a FIFO or a device that could block the controller.
    readText(path) {
      const place = resolve(path, true, 'open');
      hostOf(place, 'open');
      if (place.host === '/dev/null') return '';
      return withFd(place, 'open', fs.constants.O_RDONLY | fs.constants.O_NONBLOCK, (fd) => {
        const st = fs.fstatSync(fd);
        if (!st.isFile() || st.size > MAX_FILE) throw err(st.isDirectory() ? 'EISDIR' : 'ENXIO', 'read', place.path);
        return fs.readFileSync(fd, 'utf8');
      });
    },
    close() {
      for (const { fd } of fds.values()) fs.closeSync(fd);
      fds.clear();
      for (const root of roots.values()) if (typeof root === 'object') fs.closeSync(root.fd);
      roots.clear();
    },
  };
}

// Node's string flags as open(2) flags.
export function openFlags(flag: string): number {
  const c = fs.constants;
  const table: Record<string, number> = {
    r: c.O_RDONLY, 'r+': c.O_RDWR, rs: c.O_RDONLY | c.O_SYNC, 'rs+': c.O_RDWR | c.O_SYNC,
    w: c.O_WRONLY | c.O_CREAT | c.O_TRUNC, wx: c.O_WRONLY | c.O_CREAT | c.O_TRUNC | c.O_EXCL, 'w+': c.O_RDWR | c.O_CREAT | c.O_TRUNC, 'wx+': c.O_RDWR | c.O_CREAT | c.O_TRUNC | c.O_EXCL,
    a: c.O_WRONLY | c.O_CREAT | c.O_APPEND, ax: c.O_WRONLY | c.O_CREAT | c.O_APPEND | c.O_EXCL, 'a+': c.O_RDWR | c.O_CREAT | c.O_APPEND, 'ax+': c.O_RDWR | c.O_CREAT | c.O_APPEND | c.O_EXCL, as: c.O_WRONLY | c.O_CREAT | c.O_APPEND | c.O_SYNC,
  };
  const value = Object.prototype.hasOwnProperty.call(table, String(flag)) ? table[String(flag)] : undefined;
  if (value === undefined) throw Object.assign(new TypeError(`Invalid flag: ${flag}`), { code: 'ERR_INVALID_ARG_VALUE' });
  return value;
}

function split(path: string): string[] {
  return String(path).split('/').filter(Boolean);
}

function bytes(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

function plainStat(s: fs.Stats): Record<string, number> {
  return { dev: s.dev, ino: s.ino, mode: s.mode, nlink: s.nlink, uid: s.uid, gid: s.gid, rdev: s.rdev, size: s.size, blksize: s.blksize, blocks: s.blocks, atimeMs: s.atimeMs, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, birthtimeMs: s.birthtimeMs };
}

function direntType(d: fs.Dirent): string {
  return d.isFile() ? 'file' : d.isDirectory() ? 'dir' : d.isSymbolicLink() ? 'link' : d.isFIFO() ? 'fifo' : d.isSocket() ? 'socket' : d.isCharacterDevice() ? 'char' : d.isBlockDevice() ? 'block' : 'unknown';
}

export { within };
