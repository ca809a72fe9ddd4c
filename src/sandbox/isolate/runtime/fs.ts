// `fs` inside the isolate: sync, callback and promise forms of every call install scripts use.
// Each call carries only primitives and bytes to the host broker, which applies the script's
// sandbox view (the same mounts bwrap would give it) and answers with plain data.
// IMPORTANT: evaluated inside the isolate from its source text; uses only `rt` and the isolate's globals.
/* eslint-disable */
// @ts-nocheck

// Build the `fs` module.
export function fsModule(rt: any): any {
  const { Buffer, toBytes, toBuffer } = rt;
  const pathMod = rt.builtin('path');

  // Turn a path argument (string, Buffer, file: URL) into an absolute string, once.
  function p(value: any): string {
    let s: string;
    if (typeof value === 'string') s = value;
    else if (value instanceof Uint8Array) s = Buffer.from(value).toString('utf8');
    else if (value && typeof value === 'object' && typeof value.href === 'string' && String(value.protocol) === 'file:') s = decodeURIComponent(String(value.pathname));
    else throw Object.assign(new TypeError(`The "path" argument must be of type string or an instance of Buffer or URL. Received ${value === null ? 'null' : typeof value}`), { code: 'ERR_INVALID_ARG_TYPE' });
    if (s.includes('\u0000')) throw Object.assign(new TypeError('The argument \'path\' must be a string without null bytes'), { code: 'ERR_INVALID_ARG_VALUE' });
    return pathMod.resolve(rt.process.cwd(), s);
  }
  const enc = (options: any): string | undefined => (typeof options === 'string' ? options : options?.encoding ?? undefined);
  const flagOf = (options: any, dflt: string): string => String((typeof options === 'object' && options?.flag) || dflt);
  const modeOf = (options: any): number | undefined => (typeof options === 'object' && typeof options?.mode === 'number' ? options.mode : undefined);
  const decode = (bytes: any, encoding?: string) => { const b = toBuffer(bytes); return encoding && encoding !== 'buffer' ? b.toString(encoding) : b; };

  class Stats {
    constructor(s: any) {
      Object.assign(this, { dev: s.dev, ino: s.ino, mode: s.mode, nlink: s.nlink, uid: s.uid, gid: s.gid, rdev: s.rdev, size: s.size, blksize: s.blksize, blocks: s.blocks, atimeMs: s.atimeMs, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, birthtimeMs: s.birthtimeMs });
      this.atime = new Date(s.atimeMs); this.mtime = new Date(s.mtimeMs); this.ctime = new Date(s.ctimeMs); this.birthtime = new Date(s.birthtimeMs);
    }
    _t() { return this.mode & 0o170000; }
    isFile() { return this._t() === 0o100000; }
    isDirectory() { return this._t() === 0o040000; }
    isSymbolicLink() { return this._t() === 0o120000; }
    isFIFO() { return this._t() === 0o010000; }
    isSocket() { return this._t() === 0o140000; }
    isCharacterDevice() { return this._t() === 0o020000; }
    isBlockDevice() { return this._t() === 0o060000; }
  }
  class Dirent {
    constructor(name: string, type: string, dir: string) { this.name = name; this._type = type; this.path = dir; this.parentPath = dir; }
    isFile() { return this._type === 'file'; }
    isDirectory() { return this._type === 'dir'; }
    isSymbolicLink() { return this._type === 'link'; }
    isFIFO() { return this._type === 'fifo'; }
    isSocket() { return this._type === 'socket'; }
    isCharacterDevice() { return this._type === 'char'; }
    isBlockDevice() { return this._type === 'block'; }
  }

  const fs: any = {};
  const promises: any = {};
  // Define `name` in its three forms from how to prepare host arguments and shape the answer.
  function def(name: string, prep: (...a: any[]) => any[], post: (v: any, a: any[]) => any = (v) => v) {
    fs[`${name}Sync`] = (...a: any[]) => post(rt.callSync('fs', name, prep(...a)), a);
    fs[name] = (...a: any[]) => {
      const cb = typeof a[a.length - 1] === 'function' ? a.pop() : undefined;
      let hostArgs: any[];
      try {
        hostArgs = prep(...a);
      } catch (error) {
        if (!cb) throw error;
        rt.queueMicrotask(() => cb(error));
        return;
      }
      rt.callAsync('fs', name, hostArgs).then(
        (v: any) => { if (cb) rt.guard(cb, undefined, [null, post(v, a)]); },
        (e: any) => { if (cb) rt.guard(cb, undefined, [e]); },
      );
    };
    promises[name] = async (...a: any[]) => post(await rt.callAsync('fs', name, prep(...a)), a);
  }
  const statPost = (v: any, a: any[]) => (v === null && a[1]?.throwIfNoEntry === false ? undefined : new Stats(v));
  def('readFile', (f, o) => [p(f), flagOf(o, 'r')], (v, a) => decode(v, enc(a[1])));
  def('writeFile', (f, d, o) => [p(f), toBytes(d, enc(o)), flagOf(o, 'w'), modeOf(o)], () => undefined);
  def('appendFile', (f, d, o) => [p(f), toBytes(d, enc(o)), flagOf(o, 'a'), modeOf(o)], () => undefined);
  fs.appendFileSync = (f: any, d: any, o?: any) => { rt.callSync('fs', 'writeFile', [p(f), toBytes(d, enc(o)), flagOf(o, 'a'), modeOf(o)]); };
  fs.appendFile = (f: any, d: any, o: any, cb?: any) => fs.writeFile(f, d, typeof o === 'object' && o ? { ...o, flag: o.flag ?? 'a' } : { encoding: typeof o === 'string' ? o : undefined, flag: 'a' }, typeof o === 'function' ? o : cb);
  promises.appendFile = (f: any, d: any, o?: any) => promises.writeFile(f, d, typeof o === 'object' && o ? { ...o, flag: o.flag ?? 'a' } : { encoding: o, flag: 'a' });
  def('stat', (f, o) => [p(f), o?.throwIfNoEntry === false], statPost);
  def('lstat', (f, o) => [p(f), o?.throwIfNoEntry === false], statPost);
  def('readdir', (f, o) => [p(f)], (v, a) => {
    const dir = p(a[0]);
    if (a[1]?.withFileTypes) return v.map((e: any) => new Dirent(e.name, e.type, dir));
    return enc(a[1]) === 'buffer' ? v.map((e: any) => Buffer.from(e.name)) : v.map((e: any) => e.name);
  });
  def('mkdir', (f, o) => [p(f), typeof o === 'object' ? !!o?.recursive : false, typeof o === 'number' ? o : modeOf(o)], (v) => v ?? undefined);
  def('mkdtemp', (prefix) => [p(prefix)]);
  def('rm', (f, o) => [p(f), !!o?.recursive, !!o?.force], () => undefined);
  def('rmdir', (f, o) => [p(f), !!o?.recursive], () => undefined);
  def('unlink', (f) => [p(f)], () => undefined);
  def('rename', (a, b) => [p(a), p(b)], () => undefined);
  def('copyFile', (a, b, mode) => [p(a), p(b), typeof mode === 'number' ? mode : 0], () => undefined);
  def('cp', (a, b, o) => [p(a), p(b), !!o?.recursive, o?.force !== false, !!o?.errorOnExist], () => undefined);
  def('symlink', (target, f) => [String(target instanceof Uint8Array ? Buffer.from(target).toString() : target), p(f)], () => undefined);
  def('link', (a, b) => [p(a), p(b)], () => undefined);
  def('readlink', (f) => [p(f)], (v, a) => (enc(a[1]) === 'buffer' ? Buffer.from(v) : v));
  def('realpath', (f) => [p(f)], (v, a) => (enc(a[1]) === 'buffer' ? Buffer.from(v) : v));
  def('access', (f, mode) => [p(f), typeof mode === 'number' ? mode : 0], () => undefined);
  def('chmod', (f, mode) => [p(f), typeof mode === 'string' ? parseInt(mode, 8) : Number(mode)], () => undefined);
  def('lchmod', (f, mode) => [p(f), Number(mode)], () => undefined);
  def('chown', (f) => [p(f)], () => undefined);
  def('lchown', (f) => [p(f)], () => undefined);
  def('utimes', (f, at, mt) => [p(f), toSeconds(at), toSeconds(mt)], () => undefined);
  def('lutimes', (f, at, mt) => [p(f), toSeconds(at), toSeconds(mt)], () => undefined);
  def('truncate', (f, len) => [p(f), Number(len) || 0], () => undefined);
  def('open', (f, flags, mode) => [p(f), flags === undefined ? 'r' : flags, typeof mode === 'number' ? mode : 0o666]);
  def('close', (fd) => [fdOf(fd)], () => undefined);
  def('fstat', (fd) => [fdOf(fd)], (v) => new Stats(v));
  def('ftruncate', (fd, len) => [fdOf(fd), Number(len) || 0], () => undefined);
  def('fsync', (fd) => [fdOf(fd)], () => undefined);
  def('fdatasync', (fd) => [fdOf(fd)], () => undefined);
  def('futimes', (fd, at, mt) => [fdOf(fd), toSeconds(at), toSeconds(mt)], () => undefined);
  def('fchmod', (fd, mode) => [fdOf(fd), Number(mode)], () => undefined);
  def('exists', (f) => [p(f)]);
  fs.existsSync = (f: any) => { try { return rt.callSync('fs', 'exists', [p(f)]); } catch { return false; } };
  fs.exists = (f: any, cb: any) => { let path: string; try { path = p(f); } catch { rt.queueMicrotask(() => cb(false)); return; } rt.callAsync('fs', 'exists', [path]).then((v: any) => rt.guard(cb, undefined, [v]), () => rt.guard(cb, undefined, [false])); };
  fs.realpathSync.native = fs.realpathSync;
  fs.realpath.native = fs.realpath;

  // read/write on descriptors: (fd, buffer, offset, length, position) as in Node.
  fs.readSync = (fd: any, buffer: any, offset?: any, length?: any, position?: any) => {
    if (offset && typeof offset === 'object') ({ offset = 0, length = buffer.byteLength - offset, position = null } = offset);
    offset = offset ?? 0; length = length ?? buffer.byteLength - offset;
    const got = rt.callSync('fs', 'read', [fdOf(fd), length, position ?? null]);
    new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength).set(got, offset);
    return got.length;
  };
  fs.read = (fd: any, buffer: any, offset: any, length: any, position: any, cb: any) => {
    if (typeof offset === 'function') { cb = offset; offset = 0; length = buffer.byteLength; position = null; }
    rt.callAsync('fs', 'read', [fdOf(fd), length ?? buffer.byteLength, position ?? null]).then((got: any) => {
      new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength).set(got, offset ?? 0);
      rt.guard(cb, undefined, [null, got.length, buffer]);
    }, (e: any) => rt.guard(cb, undefined, [e]));
  };
  fs.writeSync = (fd: any, data: any, offset?: any, length?: any, position?: any) => {
    if (fd === 1 || fd === 2) {
      const text = typeof data === 'string' ? data : toBuffer(toBytes(data)).toString('utf8');
      rt.process[fd === 1 ? 'stdout' : 'stderr'].write(text);
      return typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
    }
    let bytes: Uint8Array;
    if (typeof data === 'string') { bytes = toBytes(data, typeof length === 'string' ? length : 'utf8'); position = typeof offset === 'number' ? offset : null; }
    else { const all = toBytes(data); const off = offset ?? 0; bytes = all.subarray(off, length === undefined ? undefined : off + length); }
    return rt.callSync('fs', 'write', [fdOf(fd), bytes, typeof position === 'number' ? position : null]);
  };
  fs.write = (fd: any, data: any, ...rest: any[]) => {
    const cb = rest.pop();
    let n: number;
    try { n = fs.writeSync(fd, data, ...rest); } catch (e) { rt.queueMicrotask(() => cb(e)); return; }
    rt.queueMicrotask(() => cb(null, n, data));
  };

  // Streams over descriptors, as old-style constructors like Node's (graceful-fs calls
  // `fs.WriteStream.apply(this, arguments)` and replaces `prototype.open`). The stream module loads
  // on first use: most scripts never need it.
  let streamClasses: any;
  const streams = () => (streamClasses ??= makeStreamClasses());
  function makeStreamClasses() {
    const { Readable, Writable } = rt.builtin('stream');
    const optionsOf = (options: any) => (typeof options === 'string' ? { encoding: options } : options ?? {});
    // What both kinds of stream keep about their file (Node's public fields).
    function describe(self: any, path: any, o: any, flags: string) {
      self.path = o.fd !== undefined && o.fd !== null ? path : p(path);
      self.fd = o.fd ?? null;
      self.flags = o.flags ?? flags;
      self.mode = o.mode ?? 0o666;
      self.start = typeof o.start === 'number' ? o.start : undefined;
      self.pos = self.start;
      self.autoClose = o.autoClose !== false;
      self.pending = self.fd === null;
    }
    // `open()`, replaceable as in Node (graceful-fs replaces it): 'open' and 'ready' once the descriptor is there.
    function openStream(this: any) {
      rt.callAsync('fs', 'open', [this.path, this.flags, this.mode]).then((fd: number) => {
        this.fd = fd;
        this.pending = false;
        this.emit('open', fd);
        this.emit('ready');
      }, (e: any) => this.destroy(e));
    }
    function ReadStream(this: any, path: any, options?: any) {
      if (!(this instanceof ReadStream)) return new (ReadStream as any)(path, options);
      const o = optionsOf(options);
      Readable.call(this, { highWaterMark: o.highWaterMark ?? 64 * 1024, encoding: o.encoding, emitClose: o.emitClose !== false });
      describe(this, path, o, 'r');
      this.end = typeof o.end === 'number' ? o.end : Infinity;
      this.bytesRead = 0;
      if (this.fd === null) this.open();
    }
    Object.setPrototypeOf(ReadStream.prototype, Readable.prototype);
    Object.setPrototypeOf(ReadStream, Readable);
    ReadStream.prototype.open = openStream;
    ReadStream.prototype._read = function (this: any, size: number) {
      if (typeof this.fd !== 'number') return this.once('open', () => this._read(size));
      const want = Math.min(size, this.end === Infinity ? size : this.end - (this.pos ?? 0) + 1);
      if (want <= 0) return this.push(null);
      rt.callAsync('fs', 'read', [this.fd, want, this.pos ?? null]).then((got: any) => {
        if (this.pos !== undefined) this.pos += got.length;
        this.bytesRead += got.length;
        this.push(got.length ? toBuffer(got) : null);
      }, (e: any) => this.destroy(e));
    };
    ReadStream.prototype._destroy = function (this: any, err: any, cb: any) {
      if (typeof this.fd !== 'number' || !this.autoClose) return cb(err);
      const fd = this.fd;
      this.fd = null;
      rt.callAsync('fs', 'close', [fd]).then(() => cb(err), () => cb(err));
    };
    ReadStream.prototype.close = function (this: any, cb?: any) {
      if (typeof cb === 'function') this.once('close', cb);
      this.destroy();
    };

    function WriteStream(this: any, path: any, options?: any) {
      if (!(this instanceof WriteStream)) return new (WriteStream as any)(path, options);
      const o = optionsOf(options);
      Writable.call(this, { decodeStrings: true, highWaterMark: o.highWaterMark, emitClose: o.emitClose !== false });
      describe(this, path, o, 'w');
      this.bytesWritten = 0;
      // Node opens eagerly: an error such as EROFS shows up even before the first write.
      if (this.fd === null) this.open();
    }
    Object.setPrototypeOf(WriteStream.prototype, Writable.prototype);
    Object.setPrototypeOf(WriteStream, Writable);
    WriteStream.prototype.open = openStream;
    WriteStream.prototype._write = function (this: any, chunk: any, encoding: any, done: any) {
      if (typeof this.fd !== 'number') return this.once('open', () => this._write(chunk, encoding, done));
      rt.callAsync('fs', 'write', [this.fd, toBytes(chunk, encoding), this.pos ?? null]).then((written: number) => {
        if (this.pos !== undefined) this.pos += written;
        this.bytesWritten += written;
        done();
      }, done);
    };
    WriteStream.prototype._final = function (this: any, done: any) {
      if (typeof this.fd !== 'number') return this.once('open', () => done());
      done();
    };
    WriteStream.prototype._destroy = ReadStream.prototype._destroy;
    WriteStream.prototype.close = function (this: any, cb?: any) {
      if (typeof cb === 'function') this.once('close', cb);
      if (this.writableEnded || this._writableState?.ended) this.destroy();
      else { this.once('finish', () => this.destroy()); this.end(); }
    };
    WriteStream.prototype.destroySoon = WriteStream.prototype.end;
    return { ReadStream, WriteStream };
  }
  for (const name of ['ReadStream', 'WriteStream']) {
    Object.defineProperty(fs, name, { get: () => streams()[name], set: (value: any) => { streams()[name] = value; }, enumerable: true, configurable: true });
  }
  fs.createReadStream = (f: any, options?: any) => new (fs.ReadStream)(f, options);
  fs.createWriteStream = (f: any, options?: any) => new (fs.WriteStream)(f, options);
  fs.watch = fs.watchFile = () => { throw new Error('fs.watch is not available in safe-install\'s isolate tier'); };
  fs.unwatchFile = () => {};
  fs.opendirSync = (f: any) => {
    const dir = p(f);
    const entries = fs.readdirSync(dir, { withFileTypes: true });
    let i = 0;
    return { path: dir, readSync: () => entries[i++] ?? null, read: async () => entries[i++] ?? null, closeSync() {}, close: async () => {}, async *[Symbol.asyncIterator]() { yield* entries; } };
  };
  promises.opendir = async (f: any) => fs.opendirSync(f);
  promises.open = async (f: any, flags?: any, mode?: any) => fileHandle(await rt.callAsync('fs', 'open', [p(f), flags ?? 'r', mode ?? 0o666]));
  function fileHandle(fd: number) {
    return {
      fd,
      readFile: (o?: any) => promises.readFile(`/proc/self/fd/${fd}`, o).catch(() => { throw new Error('FileHandle.readFile is not available in safe-install\'s isolate tier'); }),
      write: async (data: any, ...rest: any[]) => ({ bytesWritten: fs.writeSync(fd, data, ...rest), buffer: data }),
      writeFile: async (data: any, o?: any) => { fs.writeSync(fd, typeof data === 'string' ? data : toBytes(data), null, enc(o) ?? 'utf8'); },
      read: async (buffer: any, offset?: any, length?: any, position?: any) => ({ bytesRead: fs.readSync(fd, buffer, offset, length, position), buffer }),
      stat: async () => fs.fstatSync(fd),
      truncate: async (len?: number) => fs.ftruncateSync(fd, len),
      sync: async () => fs.fsyncSync(fd),
      close: async () => fs.closeSync(fd),
    };
  }
  const constants = {
    F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1, COPYFILE_EXCL: 1, COPYFILE_FICLONE: 2, COPYFILE_FICLONE_FORCE: 4,
    O_RDONLY: 0, O_WRONLY: 1, O_RDWR: 2, O_CREAT: 64, O_EXCL: 128, O_NOCTTY: 256, O_TRUNC: 512, O_APPEND: 1024, O_DIRECTORY: 65536, O_NOFOLLOW: 131072, O_SYNC: 1052672,
    S_IFMT: 0o170000, S_IFREG: 0o100000, S_IFDIR: 0o040000, S_IFLNK: 0o120000, S_IFIFO: 0o010000, S_IFSOCK: 0o140000, S_IFCHR: 0o020000, S_IFBLK: 0o060000,
    S_IRWXU: 0o700, S_IRUSR: 0o400, S_IWUSR: 0o200, S_IXUSR: 0o100,
  };
  Object.assign(fs, constants, { constants, promises, Stats, Dirent });
  promises.constants = constants;
  return fs;

  function fdOf(fd: any): number {
    if (typeof fd !== 'number' || !Number.isInteger(fd) || fd < 0) throw Object.assign(new TypeError('The "fd" argument must be of type number'), { code: 'ERR_INVALID_ARG_TYPE' });
    return fd;
  }
  function toSeconds(t: any): number {
    return t instanceof Date ? t.getTime() / 1000 : typeof t === 'string' ? Number(t) : Number(t);
  }
}
