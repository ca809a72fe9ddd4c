// File operations of an isolate script, applied on the host through its sandbox view: every path is
// resolved component by component inside the view (symlinks included), and a write lands only where
// the process tier's mounts would let it. Errors are Node's (EROFS, ENOENT, EXDEV, EBUSY).
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
    if (!place.host || !hostExists(place.host)) {
      readNote(place, syscall);
      throw err('ENOENT', syscall, place.path);
    }
    readNote(place, syscall);
    return place.host;
  };
  const statOf = (place: Place, syscall: string, follow: boolean): Record<string, number> | null => {
    if (place.host && hostExists(place.host)) return plainStat(follow ? fs.statSync(place.host) : fs.lstatSync(place.host));
    if (synthetic(place)) return plainStat(fs.statSync('/'));
    readNote(place, syscall);
    return null;
  };

  async function removeTree(place: Place, op: string): Promise<void> {
    const st = fs.lstatSync(place.host!);
    busy(place, 'rm');
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(place.host!)) await removeTree(at(`${place.path === '/' ? '' : place.path}/${name}`), op);
      fs.rmdirSync(await writable(place, op, 'rmdir', 'fs.delete'));
    } else fs.unlinkSync(await writable(place, op, 'unlink', 'fs.delete'));
  }

  async function copyTree(src: Place, dst: Place, force: boolean, errorOnExist: boolean): Promise<void> {
    const st = fs.lstatSync(hostOf(src, 'cp'));
    if (st.isDirectory()) {
      if (!statOf(dst, 'cp', true)) fs.mkdirSync(await writable(dst, 'cp', 'mkdir'));
      for (const name of fs.readdirSync(src.host!)) await copyTree(at(`${src.path}/${name}`), at(`${dst.path}/${name}`), force, errorOnExist);
    } else if (st.isSymbolicLink()) {
      fs.symlinkSync(fs.readlinkSync(src.host!), await writable(dst, 'cp', 'symlink'));
    } else {
      if (statOf(dst, 'cp', false) && !force) {
        if (errorOnExist) throw err('EEXIST', 'cp', dst.path);
        return;
      }
      fs.copyFileSync(src.host!, await writable(dst, 'cp', 'copyfile'));
    }
  }

  const ops: Record<string, (...a: any[]) => unknown> = {
    async readFile(path: string, flag: string) {
      const place = resolve(path, true, 'open');
      const host = hostOf(place, 'open');
      if (/[wa+]/.test(flag)) await writable(place, 'readFile', 'open');
      const st = fs.statSync(host);
      if (st.isDirectory()) throw err('EISDIR', 'read', path);
      // The controller does the read: nothing endless (/dev/zero), blocking (a FIFO) or huge.
      if (host === '/dev/null') return new Uint8Array(0);
      safeKind(st, place, 'open');
      if (!st.isFile() || st.size > MAX_FILE) throw Object.assign(new RangeError(`File size is greater than ${MAX_FILE} bytes or not a regular file: ${path}`), { code: 'ERR_FS_FILE_TOO_LARGE' });
      const fd = fs.openSync(host, fs.constants.O_RDONLY | O_NOFOLLOW);
      try {
        return bytes(fs.readFileSync(fd));
      } finally {
        fs.closeSync(fd);
      }
    },
    async writeFile(path: string, data: Uint8Array, flag: string, mode?: number) {
      const place = resolve(path, true, 'open');
      const host = await writable(place, 'writeFile', 'open');
      ensureParent(place);
      const fd = fs.openSync(host, openFlags(flag) | O_NOFOLLOW, mode ?? 0o666);
      try {
        fs.writeFileSync(fd, data);
      } finally {
        fs.closeSync(fd);
      }
    },
    stat: (path: string, noThrow: boolean) => {
      const place = resolve(path, true, 'stat');
      const st = statOf(place, 'stat', true);
      if (!st && !noThrow) throw err('ENOENT', 'stat', path);
      return st;
    },
    lstat: (path: string, noThrow: boolean) => {
      const place = resolve(path, false, 'lstat');
      const st = statOf(place, 'lstat', false);
      if (!st && !noThrow) throw err('ENOENT', 'lstat', path);
      return st;
    },
    exists: (path: string) => {
      try {
        return statOf(resolve(path, true, 'access'), 'access', true) !== null;
      } catch {
        return false;
      }
    },
    readdir: (path: string) => {
      const place = resolve(path, true, 'scandir');
      const names = new Map<string, string>();
      if (place.host && hostExists(place.host)) {
        if (!fs.statSync(place.host).isDirectory()) throw err('ENOTDIR', 'scandir', path);
        for (const d of fs.readdirSync(place.host, { withFileTypes: true })) names.set(d.name, direntType(d));
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
        if (statOf(place, 'mkdir', false)) throw err('EEXIST', 'mkdir', path);
        const host = await writable(place, 'mkdir', 'mkdir');
        ensureParent(place);
        fs.mkdirSync(host, { mode: mode ?? 0o777 });
        return undefined;
      }
      let first: string | undefined;
      let cur = '';
      for (const part of split(path)) {
        cur = `${cur}/${part}`;
        const place = resolve(cur, true, 'mkdir');
        const st = statOf(place, 'mkdir', true);
        if (st) {
          if ((st.mode & 0o170000) !== 0o040000) throw err('ENOTDIR', 'mkdir', path);
          continue;
        }
        const host = await writable(place, 'mkdir', 'mkdir');
        ensureParent(place);
        fs.mkdirSync(host, { mode: mode ?? 0o777 });
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
      if (!place.host || !hostExists(place.host)) {
        if (force) return;
        throw err('ENOENT', 'rm', path);
      }
      if (fs.lstatSync(place.host).isDirectory() && !recursive) throw Object.assign(new Error(`Path is a directory: rm returned EISDIR (is a directory) ${path}`), { code: 'ERR_FS_EISDIR' });
      await removeTree(place, 'rm');
    },
    async rmdir(path: string, recursive: boolean) {
      const place = resolve(path, false, 'rmdir');
      hostOf(place, 'rmdir');
      if (recursive) return removeTree(place, 'rmdir');
      busy(place, 'rmdir');
      fs.rmdirSync(await writable(place, 'rmdir', 'rmdir', 'fs.delete'));
    },
    async unlink(path: string) {
      const place = resolve(path, false, 'unlink');
      hostOf(place, 'unlink');
      busy(place, 'unlink');
      fs.unlinkSync(await writable(place, 'unlink', 'unlink', 'fs.delete'));
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
      const src = await writable(a, 'rename', 'rename', 'fs.delete');
      fs.renameSync(src, await writable(b, 'rename', 'rename'));
    },
    async copyFile(from: string, to: string, mode: number) {
      const a = resolve(from, true, 'copyfile');
      const src = hostOf(a, 'copyfile');
      const b = resolve(to, true, 'copyfile');
      const dst = await writable(b, 'copyFile', 'copyfile');
      ensureParent(b);
      fs.copyFileSync(src, dst, mode & fs.constants.COPYFILE_EXCL);
    },
    async cp(from: string, to: string, recursive: boolean, force: boolean, errorOnExist: boolean) {
      const a = resolve(from, true, 'cp');
      if (fs.lstatSync(hostOf(a, 'cp')).isDirectory() && !recursive) throw Object.assign(new Error(`Recursive option is required to copy a directory: ${from}`), { code: 'ERR_FS_EISDIR' });
      await copyTree(a, resolve(to, true, 'cp'), force, errorOnExist);
    },
    async symlink(target: string, path: string) {
      const place = resolve(path, false, 'symlink');
      if (statOf(place, 'symlink', false)) throw err('EEXIST', 'symlink', target, path);
      fs.symlinkSync(target, await writable(place, 'symlink', 'symlink'));
    },
    async link(from: string, to: string) {
      const a = resolve(from, false, 'link');
      const b = resolve(to, false, 'link');
      const src = hostOf(a, 'link');
      if (a.mount !== b.mount) throw err('EXDEV', 'link', from, to);
      fs.linkSync(src, await writable(b, 'link', 'link'));
    },
    readlink: (path: string) => fs.readlinkSync(hostOf(resolve(path, false, 'readlink'), 'readlink')),
    realpath: (path: string) => {
      const place = resolve(path, true, 'realpath');
      if (!statOf(place, 'realpath', true)) throw err('ENOENT', 'realpath', path);
      return place.path;
    },
    async access(path: string, mode: number) {
      const place = resolve(path, true, 'access');
      if (!statOf(place, 'access', true)) throw err('ENOENT', 'access', path);
      if (mode & fs.constants.W_OK && !place.writable) throw err('EROFS', 'access', path);
      if (mode & fs.constants.X_OK && place.host) fs.accessSync(place.host, fs.constants.X_OK);
    },
    async chmod(path: string, mode: number) {
      fs.chmodSync(await writable(resolve(path, true, 'chmod'), 'chmod', 'chmod'), mode);
    },
    async lchmod(path: string, mode: number) {
      fs.chmodSync(await writable(resolve(path, true, 'chmod'), 'chmod', 'chmod'), mode);
    },
    chown: () => undefined,
    lchown: () => undefined,
    async utimes(path: string, atime: number, mtime: number) {
      fs.utimesSync(await writable(resolve(path, true, 'utime'), 'utimes', 'utime'), atime, mtime);
    },
    async lutimes(path: string, atime: number, mtime: number) {
      fs.lutimesSync(await writable(resolve(path, false, 'utime'), 'utimes', 'utime'), atime, mtime);
    },
    async truncate(path: string, len: number) {
      fs.truncateSync(await writable(resolve(path, true, 'open'), 'truncate', 'open'), len);
    },
    async open(path: string, flags: string | number, mode: number) {
      const numeric = typeof flags === 'number' && Number.isInteger(flags) ? flags : openFlags(String(flags));
      const place = resolve(path, true, 'open');
      const writes = (numeric & 3) !== fs.constants.O_RDONLY || (numeric & (fs.constants.O_CREAT | fs.constants.O_TRUNC)) !== 0;
      let host: string;
      if (writes) {
        host = await writable(place, 'open', 'open');
        ensureParent(place);
      } else host = hostOf(place, 'open');
      if (fs.existsSync(host)) safeKind(fs.statSync(host), place, 'open');
      const fd = fs.openSync(host, numeric | O_NOFOLLOW | fs.constants.O_NONBLOCK, mode);
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
      const place = resolve(path, true, 'stat');
      return !!place.host && hostExists(place.host) && fs.statSync(place.host).isFile();
    },
    isDir(path) {
      const place = resolve(path, true, 'stat');
      return (!!place.host && hostExists(place.host) && fs.statSync(place.host).isDirectory()) || synthetic(place);
    },
    readText(path) {
      return fs.readFileSync(hostOf(resolve(path, true, 'open'), 'open'), 'utf8');
    },
    close() {
      for (const { fd } of fds.values()) fs.closeSync(fd);
      fds.clear();
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
